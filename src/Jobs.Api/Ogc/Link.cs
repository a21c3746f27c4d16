using System.Text.Json.Serialization;

namespace Jobs.Api.Ogc;

/// <summary>An OGC API link (<c>link.yaml</c>).</summary>
public sealed record Link(
    [property: JsonPropertyName("href")] string Href,
    [property: JsonPropertyName("rel")] string Rel,
    [property: JsonPropertyName("type")] string? Type = null,
    [property: JsonPropertyName("title")] string? Title = null);

/// <summary>Link relation types used by OGC API - Processes.</summary>
public static class Rels
{
    private const string Ogc = "http://www.opengis.net/def/rel/ogc/1.0/";
    public const string Conformance = Ogc + "conformance";
    public const string Processes = Ogc + "processes";
    public const string JobList = Ogc + "job-list";
    public const string Execute = Ogc + "execute";
    public const string Results = Ogc + "results";
    public const string Exceptions = Ogc + "exceptions";
}

/// <summary>Builds absolute URLs for links and Location headers.</summary>
public sealed class LinkBuilder
{
    private readonly string _base;

    public LinkBuilder(HttpRequest request, string? publicBaseUrl)
        : this(string.IsNullOrWhiteSpace(publicBaseUrl) ? $"{request.Scheme}://{request.Host}{request.PathBase}" : publicBaseUrl)
    {
    }

    /// <summary>Links under a fixed base URL (work done outside a request: deliveries).</summary>
    public LinkBuilder(string baseUrl) => _base = baseUrl.TrimEnd('/');

    public string Url(string path) => _base + path;

    public static string Escape(string segment) => Uri.EscapeDataString(segment);
}
