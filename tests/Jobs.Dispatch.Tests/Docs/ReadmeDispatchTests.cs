using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Jobs.Dispatch.Tests.Docs;

/// <summary>
/// The README's "Run it here" walk-through, run verbatim by bash (only the API's address is this
/// test's loopback port) against the API started with the settings the README gives (and the
/// repository root as the base of relative execution units, as under <c>dotnet run</c>): the
/// example workflow runs under cwltool, the stream shows its events, the job ends successful.
/// </summary>
public sealed partial class ReadmeDispatchTests
{
    [SkippableFact]
    public async Task The_readme_local_dispatch_walkthrough_runs_verbatim_and_the_stream_shows_the_job_succeed()
    {
        Skip.If(Repo.Cwltool is null, Repo.NoCwltool);
        Skip.If(!File.Exists("/bin/bash"), "needs bash");
        var readme = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "README.md"));
        var start = StartCommand().Match(readme);
        var script = Walkthrough().Match(readme);
        Assert.True(start.Success && script.Success, "README.md has no 'Run it here' walk-through");
        Assert.Contains("Jobs__Dispatch__Mode=local", start.Groups[1].Value);

        using var api = new DispatchApi(new Dictionary<string, string?>
        {
            ["Jobs:Dispatch:Mode"] = "local",
            ["Jobs:Dispatch:Local:Environment:PATH"] = Repo.PathWithJobsctl,
            // The README's API runs from the repository root; this one runs from the test binaries.
            ["Jobs:Dispatch:Local:BaseDirectory"] = Repo.Root,
        });
        var (exit, output, error) = await BashAsync(script.Groups[1].Value.Replace("http://localhost:5001", api.Url, StringComparison.Ordinal));

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        foreach (var expected in new[] { "event: created", "event: status", "\"status\":\"successful\"", "s3://bucket/out/l1b-inputs.yml.sha256" })
        {
            Assert.True(output.Contains(expected, StringComparison.Ordinal), $"no {expected} in:\n{output}\n{error}");
        }
    }

    private static async Task<(int Exit, string Output, string Error)> BashAsync(string script)
    {
        // Not -e: the stream's curl ends by its --max-time (exit 28); the output shows the rest worked.
        var start = new ProcessStartInfo("/bin/bash", ["-c", script + "\n"])
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"### Run it here.*?```sh\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex StartCommand();

    [GeneratedRegex(@"### Run it here.*?```sh\n.*?\n```.*?```sh\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Walkthrough();
}
