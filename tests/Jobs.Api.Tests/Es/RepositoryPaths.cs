namespace Jobs.Api.Tests.Es;

/// <summary>Folders the client and browser tests use, found from the repository root (the folder with Jobs.sln).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The JavaScript client check (package.json, lock file and script; <c>npm ci</c> fills node_modules).</summary>
    public static string NodeCheck => Path.Combine(Root, "tests", "Jobs.Api.Tests", "Es", "node");

    /// <summary>
    /// The Elasticvue web build: <c>JOBS_TEST_ELASTICVUE</c> if set, else <c>../shared/tools/elasticvue</c>
    /// next to the repository (present on the project's CI machine, absent in a fresh clone).
    /// </summary>
    public static string Elasticvue =>
        Environment.GetEnvironmentVariable("JOBS_TEST_ELASTICVUE") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(Root, "..", "shared", "tools", "elasticvue"));

    /// <summary>Where screenshots go: TestResults/elasticvue under the repository root.</summary>
    public static string Screenshots => Path.Combine(Root, "TestResults", "elasticvue");

    /// <summary>A program on the PATH, or null.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Jobs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Jobs.sln above {AppContext.BaseDirectory}.");
    }
}
