using System.Text.RegularExpressions;

namespace Jobs.Cli.Tests.Docs;

/// <summary>
/// docs/updates.md's cwltool walk-through without containers, run verbatim by bash (the built
/// <c>jobsctl</c> on the PATH, the real API on a loopback port): the example workflow's job ends
/// successful, and the failing example, wrapped in <c>jobsctl run</c>, ends failed. Its own API,
/// so the walk-through's deploy is the first.
/// </summary>
public sealed partial class UpdatesWalkthroughTests : IDisposable
{
    private readonly KestrelApi _api = new();

    public void Dispose() => _api.Dispose();

    [SkippableFact]
    public async Task The_cwltool_walkthrough_runs_verbatim_and_the_failing_example_ends_the_job_failed()
    {
        Skip.If(!File.Exists("/usr/bin/cwltool") && !File.Exists("/usr/local/bin/cwltool"), "cwltool is not installed (apt-get install cwltool; .ci/run installs it)");
        var doc = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "docs", "updates.md"));
        var blocks = new[] { "**Without containers**", "**A failing step.**" }.Select(start => Block(doc, start)).ToList();

        var result = await Repo.RunAsync("/bin/bash", ["-e", "-c", string.Join("\n", blocks)], new Dictionary<string, string?>
        {
            ["JOBS_API_URL"] = _api.Url,
            ["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "jobsctl-tests", Guid.NewGuid().ToString("N")),
            ["PATH"] = $"{AppContext.BaseDirectory}:{Environment.GetEnvironmentVariable("PATH")}",
        });

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Out}\n{result.Error}");
        var statuses = StatusLine().Matches(result.Out).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["successful", "failed"], statuses);
        Assert.Contains("s3://bucket/out/README.md.sha256", result.Out);
        Assert.Contains("the workflow failed (exit 1)", result.Out);
        Assert.Contains("command-failed", result.Out);
    }

    /// <summary>The first ```bash block after the paragraph that starts with <paramref name="start"/>.</summary>
    private static string Block(string doc, string start)
    {
        var at = doc.IndexOf(start, StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/updates.md has no paragraph '{start}'");
        var match = BashBlock().Match(doc, at);
        Assert.True(match.Success, $"no bash block after '{start}'");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"```bash\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [GeneratedRegex(@"^status\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex StatusLine();
}
