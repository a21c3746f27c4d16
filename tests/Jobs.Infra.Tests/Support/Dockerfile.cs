using System.Text.Json;
using System.Text.RegularExpressions;

namespace Jobs.Infra.Tests.Support;

/// <summary>A Dockerfile of the repository (build context: the repository root).</summary>
public sealed partial class Dockerfile(string relativePath)
{
    public string RelativePath { get; } = relativePath;

    public IReadOnlyList<string> Lines { get; } = RepoFiles.ReadText(relativePath)
        .Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .ToList();

    /// <summary>The sources of <c>COPY</c> instructions from the build context (not <c>--from=</c> a stage).</summary>
    public IEnumerable<string> ContextSources =>
        Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]);

    /// <summary>The projects it publishes (<c>dotnet publish path.csproj</c>).</summary>
    public IEnumerable<string> PublishedProjects =>
        Lines.Select(l => Publish().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value);

    /// <summary>The <c>ENTRYPOINT</c> in exec form.</summary>
    public IReadOnlyList<string> Entrypoint =>
        Lines.Where(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))
            .Select(l => JsonSerializer.Deserialize<string[]>(l["ENTRYPOINT ".Length..])!)
            .Single();

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex Publish();
}
