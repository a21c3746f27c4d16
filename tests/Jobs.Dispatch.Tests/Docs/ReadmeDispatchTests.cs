using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Jobs.Dispatch.Tests.Docs;

/// <summary>
/// The README's "Run it here" walk-through, run verbatim by bash (only the API's address and the
/// receiver's port are this test's free loopback ports) against the API started with the
/// settings the README's start command gives: the example workflow runs under cwltool, the
/// stream shows its events, the receiver gets a signed webhook per event, the job ends successful.
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
        var command = start.Groups[1].Value;
        foreach (var setting in new[] { "Jobs__Dispatch__Mode=local", "Jobs__Dispatch__Local__Environment__PATH=\"$HOME/.dotnet/tools:$PATH\"",
                     "Jobs__Dispatch__Local__BaseDirectory=\"$PWD\"", "Jobs__Notifications__AllowedHosts__0=127.0.0.1" })
        {
            Assert.Contains(setting, command);
        }

        // The same settings, with this test's jobsctl on the PATH and the repository root as $PWD.
        using var api = new DispatchApi(new Dictionary<string, string?>
        {
            ["Jobs:Dispatch:Mode"] = "local",
            ["Jobs:Dispatch:Local:Environment:PATH"] = Repo.PathWithJobsctl,
            ["Jobs:Dispatch:Local:BaseDirectory"] = Repo.Root,
            ["Jobs:Notifications:AllowedHosts:0"] = "127.0.0.1",
        });
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (exit, output, error) = await BashAsync(script.Groups[1].Value
            .Replace("http://localhost:5001", api.Url, StringComparison.Ordinal)
            .Replace("127.0.0.1:9000", "127.0.0.1:" + port, StringComparison.Ordinal)
            .Replace("\"127.0.0.1\", 9000", "\"127.0.0.1\", " + port, StringComparison.Ordinal));

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        foreach (var expected in new[]
                 {
                     "event: created", "event: status", "\"status\":\"successful\"", "s3://bucket/out/l1b-inputs.yml.sha256",
                     "webhook /hook?job=", "&status=accepted t=", "&status=successful t=",
                 })
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

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"### Run it here.*?```sh\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex StartCommand();

    [GeneratedRegex(@"### Run it here.*?```sh\n.*?\n```.*?```sh\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Walkthrough();
}
