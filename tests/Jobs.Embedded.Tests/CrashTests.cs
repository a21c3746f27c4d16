using System.Collections.Concurrent;
using System.Diagnostics;
using Jobs.Core.Jobs;

namespace Jobs.Embedded.Tests;

/// <summary>kill -9 of a process writing to the store loses nothing it had acknowledged.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_write_acknowledged_before_a_kill_9_is_there_after_restart()
    {
        var lines = new ConcurrentQueue<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var updated = 0;
        using var host = StartHost(_dir.Path);
        host.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lines.Enqueue(e.Data);
            if (e.Data.StartsWith("updated ", StringComparison.Ordinal) && Interlocked.Increment(ref updated) == 400)
            {
                enough.TrySetResult();
            }
        };
        host.BeginOutputReadLine();

        // A guard against a host that never gets going, not a timing assertion.
        var finished = await Task.WhenAny(enough.Task, host.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
        if (finished != enough.Task)
        {
            var reason = host.HasExited ? await host.StandardError.ReadToEndAsync() : "no progress";
            host.Kill();
            Assert.Fail($"the crash host did not get going: {reason}");
        }

        host.Kill(); // SIGKILL: no shutdown, no flush, no checkpoint
        await host.WaitForExitAsync();

        var acknowledged = lines.ToList();
        var created = acknowledged.Where(l => l.StartsWith("created ", StringComparison.Ordinal)).Select(l => l[8..]).ToList();
        var running = acknowledged.Where(l => l.StartsWith("updated ", StringComparison.Ordinal)).Select(l => l[8..]).ToList();
        Assert.True(running.Count >= 400);

        using var store = _dir.OpenStore();
        foreach (var id in created)
        {
            Assert.True(await store.GetAsync(id, CancellationToken.None) is not null, $"acknowledged job {id} was lost");
        }

        foreach (var id in running)
        {
            Assert.Equal(JobStatus.Running, (await store.GetAsync(id, CancellationToken.None))!.Status);
        }
    }

    private static Process StartHost(string dataPath)
    {
        var testOutput = AppContext.BaseDirectory;
        var hostDll = Path.GetFullPath(Path.Combine(
            testOutput.Replace("Jobs.Embedded.Tests", "Jobs.Embedded.CrashHost", StringComparison.Ordinal),
            "Jobs.Embedded.CrashHost.dll"));
        Assert.True(File.Exists(hostDll), $"build the crash host first: {hostDll}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { hostDll, dataPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start)!;
    }
}
