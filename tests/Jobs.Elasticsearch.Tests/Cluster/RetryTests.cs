using System.Net;
using System.Net.Sockets;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Jobs.Elasticsearch.Tests.Cluster;

public sealed class RetryTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new(new Dictionary<string, string?> { ["MaxRetries"] = "2" });

    private EsServer Es => _harness.Es;

    public Task InitializeAsync() => _harness.StartAsync();

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Theory]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_passing_refusal_is_retried_and_the_next_answer_used(int status)
    {
        Es.OnSequence("GET", "/jobs/_doc/j1", (status, status == 429 ? EsAnswers.TooManyRequests : EsAnswers.ServiceUnavailable), (404, EsAnswers.NotFound("jobs-000001", "j1")));

        Assert.Null(await _harness.Jobs.GetAsync("j1", CancellationToken.None));
        Assert.Equal(["GET /jobs/_doc/j1", "GET /jobs/_doc/j1"], Es.Requests.Select(r => r.Line));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(408)]
    [InlineData(500)]
    public async Task Other_errors_are_not_retried(int status)
    {
        Es.On("GET", "/jobs/_doc/j1", status, $$"""{"error":{"root_cause":[{"type":"some_exception","reason":"no"}],"type":"some_exception","reason":"no"},"status":{{status}}}""");

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => _harness.Jobs.GetAsync("j1", CancellationToken.None));

        Assert.Contains($"answered {status} (some_exception: no)", e.Message);
        Assert.Single(Es.Requests);
    }

    [Fact]
    public async Task Retries_are_bounded_and_then_the_store_is_unavailable()
    {
        Es.On("GET", "/jobs/_doc/j1", 503, EsAnswers.ServiceUnavailable);

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => _harness.Jobs.GetAsync("j1", CancellationToken.None));

        Assert.Contains("answered 503 (cluster_block_exception", e.Message);
        Assert.Equal(3, Es.Requests.Count);
    }

    [Fact]
    public async Task A_retried_bulk_sends_the_same_body_again()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        BulkAnswers.NoEventsKnown(Es);
        Es.OnSequence("POST", "/_bulk", (503, EsAnswers.ServiceUnavailable),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "jobs-000001", "j1"))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "job-events-000001", "j1/e/u1", 201))));

        var results = await _harness.Jobs.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(Core.Updates.UpdateOutcomeKind.Applied, results[0].Outcome);
        var bulks = Es.Requests.Where(r => r.Line.StartsWith("POST /_bulk", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, bulks.Count); // the jobs (503, then again), then the events
        Assert.Equal(bulks[0].Body, bulks[1].Body);
        Assert.EndsWith("\n", bulks[1].Body);
    }

    [Fact]
    public async Task An_attempt_that_outlasts_the_request_timeout_is_abandoned_and_retried()
    {
        await using var harness = new StoreHarness(new Dictionary<string, string?> { ["RequestTimeout"] = "00:00:00.300" });
        await harness.StartAsync();
        var calls = 0;
        harness.Es.Server.Given(Request.Create().UsingGet().WithPath("/jobs/_doc/j1"))
            .RespondWith(Response.Create().WithCallback(async _ =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2)); // hangs past the 300 ms limit
                }

                return new WireMock.ResponseMessage
                {
                    StatusCode = 404,
                    BodyData = new WireMock.Util.BodyData { BodyAsString = EsAnswers.NotFound("jobs-000001", "j1"), DetectedBodyType = WireMock.Types.BodyType.String },
                };
            }));

        Assert.Null(await harness.Jobs.GetAsync("j1", CancellationToken.None));
        Assert.Equal(2, Volatile.Read(ref calls)); // the server logs the hung request only once it answers
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_the_cluster_is_slow_sees_a_cancellation_not_an_outage()
    {
        var arrived = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        Es.Server.Given(Request.Create().UsingGet().WithPath("/jobs/_doc/j1"))
            .RespondWith(Response.Create().WithCallback(async _ =>
            {
                arrived.TrySetResult();
                await release.Task; // answers only when the test ends
                return new WireMock.ResponseMessage { StatusCode = 404 };
            }));
        using var cancel = new CancellationTokenSource();

        var get = _harness.Jobs.GetAsync("j1", cancel.Token);
        await arrived.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
        release.SetResult();
    }

    [Fact]
    public async Task Dropped_connections_are_retried_then_reported_as_a_store_outage()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var dropping = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = await listener.AcceptSocketAsync(stop.Token);
                Interlocked.Increment(ref accepted);
                socket.LingerState = new LingerOption(true, 0); // close with a reset
            }
        });
        await using var harness = new StoreHarness(url: $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => harness.Jobs.GetAsync("j1", CancellationToken.None));

        Assert.Contains("could not be reached (GET /)", e.Message);
        Assert.Equal(3, Volatile.Read(ref accepted)); // the bootstrap's GET /, tried 1 + 2 times
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dropping);
    }
}
