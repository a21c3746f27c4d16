using System.Text.RegularExpressions;

namespace Jobs.Cli.Tests.Docs;

/// <summary>
/// The README's CLI quick start, run verbatim by bash with the built <c>jobsctl</c> on the PATH
/// against the real API on a loopback port (its own, so the deploy is the first).
/// </summary>
public sealed partial class ReadmeWalkthroughTests : IDisposable
{
    private readonly KestrelApi _api = new();

    [SkippableFact]
    public async Task The_readme_cli_walkthrough_runs_verbatim_and_watch_ends_with_the_job_s_status()
    {
        Skip.If(!File.Exists("/bin/bash"), "needs bash");
        var readme = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "README.md"));
        var script = Walkthrough().Match(readme);
        Assert.True(script.Success, "README.md has no walk-through block after 'Deploy the process, submit a job'");

        // Each line must succeed (the last one handles its own exit code).
        var result = await Repo.RunAsync("/bin/bash", ["-e", "-c", script.Groups[1].Value + "\nwait\n"], new Dictionary<string, string?>
        {
            ["JOBS_API_URL"] = _api.Url,
            ["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "jobsctl-tests", Guid.NewGuid().ToString("N")),
            ["PATH"] = $"{AppContext.BaseDirectory}:{Environment.GetEnvironmentVariable("PATH")}",
        });

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Out}\n{result.Error}");
        Assert.Contains("deployed l1b-cwl:develop", result.Out);
        Assert.Matches(@"job [0-9a-f-]{36} successful", result.Out);
        Assert.Contains("s3://bucket/out/granule.nc", result.Out);
        Assert.Contains("re-processing-3", result.Out);
        Assert.Contains("exit 3: no worker took the new job", result.Out);
    }

    public void Dispose() => _api.Dispose();

    [GeneratedRegex(@"Deploy the process, submit a job[^\n]*\n+```sh\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Walkthrough();
}
