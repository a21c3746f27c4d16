using System.Net;
using System.Text.Json.Nodes;

namespace Jobs.Cli.Tests.Commands;

/// <summary>
/// <c>watch</c> over the API's job event streams: the updates are posted once the stream is open
/// (the handler says when its answer arrived), and the command follows them without polling
/// (no wait between polls happens) to the exit code of how the job ended. A server without
/// streams is polled instead.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StreamWatchTests(KestrelApi api)
{
    [Fact]
    public async Task Watch_follows_the_job_s_event_stream_and_exits_with_its_status()
    {
        var (jobId, token) = await api.NewJobAsync();
        using var streams = new StreamRecorder();

        var watch = CliRun.RunAsync(api.Environment(), streams, ["watch", jobId]);
        await streams.Opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await api.UpdateAsync(jobId, token, new JsonObject { ["status"] = "running", ["stage"] = "stage-in", ["progress"] = 10 });
        await api.UpdateAsync(jobId, token, new JsonObject { ["progress"] = 60, ["stage"] = "process" });
        await api.UpdateAsync(jobId, token, new JsonObject { ["status"] = "failed", ["error"] = new JsonObject { ["type"] = "step", ["message"] = "boom" } });
        var result = await watch.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 1, result.Out + result.Error);
        Assert.Equal(0, result.Waits); // followed the stream, never polled
        Assert.Equal([$"GET /jobs/{jobId}/events 200 text/event-stream"], streams.Seen);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith($"{jobId} accepted", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"{jobId} running 10% stage-in", lines[1], StringComparison.Ordinal);
        Assert.EndsWith($"{jobId} running 60% process", lines[2], StringComparison.Ordinal);
        Assert.Contains($"{jobId} failed", lines[3], StringComparison.Ordinal);
        Assert.Equal($"job {jobId} failed", lines[^1]);
    }

    [Fact]
    public async Task Watch_with_a_filter_follows_the_selected_jobs_on_the_stream_of_all_jobs()
    {
        var label = "stream-" + Guid.NewGuid().ToString("N")[..8];
        var (a, tokenA) = await api.NewJobAsync(label);
        var (b, tokenB) = await api.NewJobAsync(label);
        var (other, otherToken) = await api.NewJobAsync("not-" + label);
        using var streams = new StreamRecorder();

        var watch = CliRun.RunAsync(api.Environment(), streams, ["watch", "--label", label]);
        await streams.Opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await api.UpdateAsync(other, otherToken, new JsonObject { ["status"] = "failed" });
        await api.UpdateAsync(a, tokenA, new JsonObject { ["status"] = "running", ["progress"] = 50 });
        await api.UpdateAsync(a, tokenA, new JsonObject { ["status"] = "succeeded" });
        await api.UpdateAsync(b, tokenB, new JsonObject { ["status"] = "succeeded" });
        var result = await watch.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Equal(0, result.Waits);
        Assert.Equal([$"GET /jobs/events?labels={label} 200 text/event-stream"], streams.Seen);
        Assert.Contains($"{a} running 50%", result.Out, StringComparison.Ordinal);
        Assert.Contains($"job {a} successful", result.Out, StringComparison.Ordinal);
        Assert.Contains($"job {b} successful", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(other, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_wait_follows_the_new_job_on_its_stream()
    {
        await api.DeployChecksumAsync();
        using var streams = new StreamRecorder();

        var submit = CliRun.RunAsync(api.Environment(), streams, ["submit", "checksum:1", "-i", "input_file=s3://x", "--wait", "-o", "id"]);
        await streams.Opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var jobId = streams.Seen[0].Split('/')[2];
        await api.DismissAsync(jobId);
        var result = await submit.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(jobId, result.Out.Trim());
        Assert.Contains($"job {jobId} dismissed", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, result.Waits);
    }

    [Fact]
    public async Task Without_streams_on_the_server_watch_polls()
    {
        var (jobId, token) = await api.NewJobAsync();
        using var noStreams = new StreamRecorder(refuse: true);

        var result = await CliRun.RunAsync(api.Environment(), noStreams, ["watch", jobId], onWait: async n =>
        {
            if (n == 1)
            {
                await api.UpdateAsync(jobId, token, new JsonObject { ["status"] = "succeeded" });
            }
        });

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.True(result.Waits >= 1);
        Assert.Equal([$"GET /jobs/{jobId}/events 404 application/problem+json"], noStreams.Seen);
        Assert.Equal($"job {jobId} successful", result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    /// <summary>
    /// Real sockets; records each event-stream request with its answer, and signals once the
    /// first stream is open and the jobs' current state was read after it (so every later update
    /// is news to the watcher). With <c>refuse</c>, answers the stream requests 404 as an API from
    /// before streams does.
    /// </summary>
    private sealed class StreamRecorder(bool refuse = false) : DelegatingHandler(new SocketsHttpHandler())
    {
        public List<string> Seen { get; } = [];

        public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var isStream = request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal);
            if (isStream && refuse)
            {
                Seen.Add($"GET {request.RequestUri.PathAndQuery} 404 application/problem+json");
                return new HttpResponseMessage(HttpStatusCode.NotFound)
                {
                    Content = new StringContent("""{"title":"Not found","status":404}""", System.Text.Encoding.UTF8, "application/problem+json"),
                };
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (isStream)
            {
                Seen.Add($"{request.Method} {request.RequestUri.PathAndQuery} {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
            }
            else if (Seen.Count > 0 && request.Method == HttpMethod.Get)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                Opened.TrySetResult();
            }

            return response;
        }
    }
}
