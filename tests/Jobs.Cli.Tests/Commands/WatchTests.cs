using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Cli.Tests.Commands;

/// <summary>
/// <c>watch</c> and <c>submit --wait</c> follow jobs on the real API until they finish and say
/// how by exit code, here by polling (<c>JOBS_WATCH=poll</c>; <see cref="StreamWatchTests"/> follow
/// the event streams). The updates are posted from the waits between polls, so every run is the
/// same sequence: poll, update, poll …
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WatchTests(KestrelApi api)
{
    [Fact]
    public async Task Watch_prints_each_change_and_ends_with_the_job_s_status_and_exit_0()
    {
        var (jobId, token) = await api.NewJobAsync();
        JsonObject[] steps =
        [
            new() { ["status"] = "running", ["stage"] = "stage-in", ["progress"] = 10 },
            new() { ["progress"] = 60, ["stage"] = "process" },
            new() { ["status"] = "succeeded", ["progress"] = 100 },
        ];

        var result = await CliRun.RunAsync(api.Environment(("JOBS_WATCH", "poll")), null, ["watch", jobId], onWait: async n =>
        {
            if (n <= steps.Length)
            {
                await api.UpdateAsync(jobId, token, steps[n - 1]);
            }
        });

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.EndsWith($"{jobId} accepted", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith($"{jobId} running 10% stage-in", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith($"{jobId} running 60% process", StringComparison.Ordinal));
        Assert.Equal($"job {jobId} successful", lines[^1]);
    }

    [Theory]
    [InlineData("failed", 1)]
    [InlineData("dismissed", 2)]
    public async Task Watch_exits_with_the_code_of_how_the_job_ended(string status, int code)
    {
        var (jobId, token) = await api.NewJobAsync();

        var result = await CliRun.RunAsync(api.Environment(("JOBS_WATCH", "poll")), null, ["watch", jobId], onWait: async n =>
        {
            if (n == 1)
            {
                await api.UpdateAsync(jobId, token, new JsonObject { ["status"] = status });
            }
        });

        Assert.Equal(code, result.ExitCode);
        Assert.EndsWith($"job {jobId} {status}", result.Out.Trim());
    }

    [Fact]
    public async Task Watch_gives_up_at_the_timeout_with_exit_3_and_polls_slower_while_nothing_changes()
    {
        var (jobId, _) = await api.NewJobAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var result = await CliRun.RunAsync(api.Environment(("JOBS_WATCH", "poll")), null, ["watch", jobId, "--timeout", "30s"], time: clock);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("still not finished", result.Error);

        // 1 s, 1.5 s, 2.25 s … up to 10 s: far fewer polls than one a second.
        Assert.InRange(result.Waits, 5, 10);
    }

    [Fact]
    public async Task Watch_with_a_filter_follows_every_selected_job_until_each_has_finished()
    {
        var label = "watch-" + Guid.NewGuid().ToString("N")[..8];
        var (a, tokenA) = await api.NewJobAsync(label);
        var (b, tokenB) = await api.NewJobAsync(label);

        var result = await CliRun.RunAsync(api.Environment(("JOBS_WATCH", "poll")), null, ["watch", "--label", label], onWait: async n =>
        {
            if (n == 1)
            {
                await api.UpdateAsync(a, tokenA, new JsonObject { ["status"] = "succeeded" });
            }
            else if (n == 2)
            {
                await api.UpdateAsync(b, tokenB, new JsonObject { ["status"] = "failed" });
            }
        });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"job {a} successful", result.Out);
        Assert.Contains($"job {b} failed", result.Out);
    }

    [Fact]
    public async Task Submit_wait_follows_the_new_job_and_sends_the_idempotency_key()
    {
        await api.DeployChecksumAsync();
        var recorder = new HeaderRecorder();
        var key = Guid.NewGuid().ToString("N");

        // With -o json the statusInfo is stdout's only content; the progress goes to stderr.
        var result = await CliRun.RunAsync(api.Environment(("JOBS_WATCH", "poll")), recorder,
            ["submit", "checksum:1", "-i", "input_file=s3://x", "--idempotency-key", key, "--wait", "-o", "json"],
            onWait: async n =>
            {
                if (n == 1)
                {
                    var created = await api.Client.GetStringAsync("/jobs?limit=1");
                    var job = JsonNode.Parse(created)!["jobs"]![0]!["jobID"]!.GetValue<string>();
                    await api.DismissAsync(job);
                }
            });

        Assert.Equal(2, result.ExitCode);
        var statusInfo = JsonNode.Parse(result.Out)!;
        Assert.Contains($"job {statusInfo["jobID"]} dismissed", result.Error);
        Assert.Equal(key, recorder.IdempotencyKey);
    }

    private sealed class HeaderRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        public string? IdempotencyKey { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.TryGetValues("Idempotency-Key", out var values))
            {
                IdempotencyKey = values.Single();
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
