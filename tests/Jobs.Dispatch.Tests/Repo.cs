namespace Jobs.Dispatch.Tests;

/// <summary>The repository around the test binaries, and the cwltool these tests need.</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    /// <summary>Debian's cwltool, or null (the CWL tests then skip, saying why).</summary>
    public static string? Cwltool { get; } = new[] { "/usr/bin/cwltool", "/usr/local/bin/cwltool" }.FirstOrDefault(File.Exists);

    public const string NoCwltool = "cwltool is not installed (apt-get install cwltool; .ci/run installs it)";

    /// <summary>A PATH with the built jobsctl first, for the example workflow's Update Job steps.</summary>
    public static string PathWithJobsctl => $"{AppContext.BaseDirectory}:{Environment.GetEnvironmentVariable("PATH")}";

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Jobs.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("no Jobs.sln above the test binaries");
    }
}
