namespace Jobs.Api.Ogc;

/// <summary>A process named in a path: <c>id</c> (latest version) or <c>id:version</c> (the seed's WPS-T form).</summary>
public readonly record struct ProcessRef(string Id, string? Version)
{
    public static ProcessRef Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new ProcessRef(text, null) : new ProcessRef(text[..colon], text[(colon + 1)..]);
    }

    public override string ToString() => Version is null ? Id : $"{Id}:{Version}";
}
