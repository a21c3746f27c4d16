using System.Text.Json;

namespace Jobs.Dispatch.Local;

/// <summary>What cwltool is given to run, or why the execution unit cannot be run here.</summary>
public sealed record CwlTarget(string? Workflow, string? Error);

/// <summary>
/// Turns a process's execution unit (the Application Package's <c>executionUnit</c>) into the
/// workflow argument of cwltool: an <c>href</c> that is http(s) is passed as is (cwltool fetches
/// it and resolves its relative <c>run:</c> references against it); a <c>file:</c> URL or a path
/// (relative ones from the API's working directory) must exist; an inline CWL document
/// (<c>unit</c> or <c>value</c>, an object or YAML/JSON text) is written into the run's directory.
/// An array takes its first CWL unit.
/// </summary>
public static class ExecutionUnits
{
    private static readonly string[] CwlTypes = ["application/cwl", "application/cwl+json", "application/cwl+yaml", "cwl"];

    /// <param name="unit">The process's execution unit.</param>
    /// <param name="runDirectory">Where an inline unit is written.</param>
    /// <param name="baseDirectory">What a relative path is resolved against (null: the working directory).</param>
    public static CwlTarget Resolve(JsonElement? unit, string runDirectory, string? baseDirectory = null)
    {
        if (unit is not { } u || u.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return Fail("the process has no execution unit");
        }

        if (u.ValueKind == JsonValueKind.Array)
        {
            var first = u.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object && IsCwl(e));
            return first.ValueKind == JsonValueKind.Object ? Resolve(first, runDirectory, baseDirectory) : Fail("the execution unit array holds no CWL unit");
        }

        if (u.ValueKind != JsonValueKind.Object)
        {
            return Fail("the execution unit is not an object");
        }

        if (!IsCwl(u))
        {
            return Fail($"the execution unit's type {u.GetProperty("type")} is not CWL (application/cwl)");
        }

        if (u.TryGetProperty("href", out var href) && href.ValueKind == JsonValueKind.String)
        {
            return FromHref(href.GetString()!, baseDirectory);
        }

        foreach (var name in new[] { "unit", "value" })
        {
            if (u.TryGetProperty(name, out var inline) && inline.ValueKind is JsonValueKind.Object or JsonValueKind.String)
            {
                var path = Path.Combine(runDirectory, "workflow.cwl");
                File.WriteAllText(path, inline.ValueKind == JsonValueKind.String ? inline.GetString() : inline.GetRawText());
                return new CwlTarget(path, null);
            }
        }

        return Fail("the execution unit has neither an href nor an inline unit");
    }

    private static CwlTarget FromHref(string href, string? baseDirectory)
    {
        if (Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return new CwlTarget(href, null);
        }

        string path;
        if (Uri.TryCreate(href, UriKind.Absolute, out uri) && uri.IsFile)
        {
            path = uri.LocalPath;
        }
        else if (href.Contains("://", StringComparison.Ordinal))
        {
            return Fail($"the execution unit's href {href} is neither http(s), file: nor a path");
        }
        else
        {
            path = baseDirectory is null ? Path.GetFullPath(href) : Path.GetFullPath(href, Path.GetFullPath(baseDirectory));
        }

        return File.Exists(path) ? new CwlTarget(path, null) : Fail($"the execution unit's file {path} does not exist");
    }

    private static bool IsCwl(JsonElement unit) =>
        !unit.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
        || CwlTypes.Contains(type.GetString()!.Split(';')[0].Trim(), StringComparer.OrdinalIgnoreCase);

    private static CwlTarget Fail(string error) => new(null, error);
}
