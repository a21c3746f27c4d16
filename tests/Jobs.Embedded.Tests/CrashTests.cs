using System.Collections.Concurrent;
using System.Diagnostics;
using Jobs.Core.Jobs;

namespace Jobs.Embedded.Tests;

/// <summary>
/// kill -9 of a process writing to the store loses nothing it had acknowledged: concurrent creates
/// and updates, jobs with large outputs (256 KiB of '&lt;', six times that in the log), and a job
/// flooded with wrong-token updates carrying large messages; two rounds on the same data path.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_write_acknowledged_before_a_kill_9_is_there_after_restart_in_every_round()
    {
        var acknowledged = new List<string>();
        foreach (var round in new[] { "a", "b" })
        {
            acknowledged.AddRange(await RunAndKillAsync(round));
            await VerifyAsync(acknowledged);
        }
    }

    private async Task<List<string>> RunAndKillAsync(string round)
    {
        var lines = new ConcurrentQueue<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int updated = 0, large = 0, flooded = 0;
        using var host = StartHost(_dir.Path, round);
        host.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lines.Enqueue(e.Data);
            var counter = e.Data.Split(' ')[0] switch
            {
                "updated" => Interlocked.Increment(ref updated),
                "large" => Interlocked.Increment(ref large),
                "flooded" => Interlocked.Increment(ref flooded),
                _ => 0,
            };
            if (Volatile.Read(ref updated) >= 300 && Volatile.Read(ref large) >= 8 && Volatile.Read(ref flooded) >= 3)
            {
                enough.TrySetResult();
            }
        };
        host.BeginOutputReadLine();

        // A guard against a host that never gets going, not a timing assertion.
        var finished = await Task.WhenAny(enough.Task, host.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(4)));
        if (finished != enough.Task)
        {
            var reason = host.HasExited ? await host.StandardError.ReadToEndAsync() : $"no progress ({updated} updated, {large} large, {flooded} flooded)";
            host.Kill();
            Assert.Fail($"the crash host did not get going: {reason}");
        }

        host.Kill(); // SIGKILL: no shutdown, no flush, no checkpoint
        await host.WaitForExitAsync();
        return [.. lines];
    }

    private async Task VerifyAsync(List<string> acknowledged)
    {
        using var store = _dir.OpenStore();
        var none = CancellationToken.None;
        foreach (var line in acknowledged)
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "created":
                    Assert.True(await store.GetAsync(parts[1], none) is not null, $"acknowledged job {parts[1]} was lost");
                    break;
                case "updated":
                    Assert.Equal(JobStatus.Running, (await store.GetAsync(parts[1], none))!.Status);
                    break;
                case "large":
                    var outputs = (await store.GetAsync(parts[1], none))!.Outputs;
                    Assert.True(outputs is not null && outputs.ContainsKey($"o{parts[2]}"), $"acknowledged output o{parts[2]} of {parts[1]} was lost");
                    Assert.Equal(256 * 1024, outputs![$"o{parts[2]}"].GetString()!.Length);
                    break;
                case "flooded":
                    var job = (await store.GetAsync(parts[1], none))!;
                    Assert.True(job.Progress >= int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture),
                        $"acknowledged progress {parts[2]} of {parts[1]} was lost (progress {job.Progress})");
                    break;
            }
        }

        // The flood is bounded: at most 50 rejected updates are kept in the history.
        var flood = acknowledged.Where(l => l.StartsWith("flooded ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).Distinct();
        foreach (var id in flood)
        {
            var history = await store.GetHistoryAsync(id, null, 1000, none);
            Assert.True(history.Events.Count(e => e.Outcome == EventOutcome.Rejected) <= 50);
        }
    }

    private static Process StartHost(string dataPath, string round)
    {
        var testOutput = AppContext.BaseDirectory;
        var hostDll = Path.GetFullPath(Path.Combine(
            testOutput.Replace("Jobs.Embedded.Tests", "Jobs.Embedded.CrashHost", StringComparison.Ordinal),
            "Jobs.Embedded.CrashHost.dll"));
        Assert.True(File.Exists(hostDll), $"build the crash host first: {hostDll}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { hostDll, dataPath, round },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start)!;
    }
}
