using Jobs.Core.Storage;
using Jobs.Elasticsearch.Tests.Support;

namespace Jobs.Elasticsearch.Tests.Cluster;

/// <summary>
/// Several nodes (<c>Jobs:Elasticsearch:Urls</c>): the transport's static node pool, tried in the
/// configured order, a failing node left out and the request sent to the next one.
/// </summary>
public sealed class NodePoolTests : IAsyncLifetime
{
    private readonly EsServer _first = new();
    private readonly EsServer _second = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _first.Dispose();
        _second.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_node_that_refuses_connections_is_passed_over_for_the_next_and_then_left_out()
    {
        using var down = new DeadNode();
        await using var harness = Harness(down.Url, _second.Url);
        StoreHarness.StubCompatibleCluster(_second);
        _second.On("GET", "/jobs/_doc/j1", 404, EsAnswers.NotFound("jobs-000001", "j1"));

        Assert.Null(await harness.Jobs.GetAsync("j1", CancellationToken.None));
        Assert.Null(await harness.Jobs.GetAsync("j1", CancellationToken.None));

        // The bootstrap's first request failed over; from then on the dead node is not tried.
        Assert.Equal(["GET /", "GET /jobs/_mapping", "GET /job-events/_mapping", "GET /processes/_mapping", "GET /jobs/_doc/j1", "GET /jobs/_doc/j1"],
            _second.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task A_node_answering_503_is_not_retried_itself_the_next_node_answers()
    {
        await using var harness = Harness(_first.Url, _second.Url);
        StoreHarness.StubCompatibleCluster(_first);
        StoreHarness.StubCompatibleCluster(_second);
        await harness.Bootstrapper.EnsureAsync(CancellationToken.None);
        _first.ClearLog();
        _second.ClearLog();
        _first.On("POST", "/jobs/_count", 503, EsAnswers.ServiceUnavailable);
        _second.On("POST", "/jobs/_count", 200, """{"count":5,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""");

        for (var i = 0; i < 2; i++)
        {
            var count = await harness.Jobs.CountAsync(null, CancellationToken.None);
            Assert.Equal(5, count["count"]!.GetValue<int>());
        }

        // Round-robin: one of the two counts started on the first node, which failed once and is now left out.
        Assert.Equal(["POST /jobs/_count"], _first.Requests.Select(r => r.Line));
        Assert.Equal(["POST /jobs/_count", "POST /jobs/_count"], _second.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task A_node_shedding_load_with_429_is_retried_itself_with_backoff()
    {
        await using var harness = Harness(_first.Url, _second.Url);
        StoreHarness.StubCompatibleCluster(_first);
        StoreHarness.StubCompatibleCluster(_second);
        await harness.Bootstrapper.EnsureAsync(CancellationToken.None);
        _first.ClearLog();
        _second.ClearLog();
        foreach (var each in new[] { _first, _second })
        {
            each.OnSequence("GET", "/jobs/_doc/j1", (429, EsAnswers.TooManyRequests), (404, EsAnswers.NotFound("jobs-000001", "j1")));
        }

        Assert.Null(await harness.Jobs.GetAsync("j1", CancellationToken.None));

        var node = _first.Requests.Count > 0 ? _first : _second;
        Assert.Equal(["GET /jobs/_doc/j1", "GET /jobs/_doc/j1"], node.Requests.Select(r => r.Line));
        Assert.Empty((node == _first ? _second : _first).Requests);
    }

    [Fact]
    public async Task When_every_node_fails_the_store_is_unavailable_naming_the_nodes()
    {
        using var a = new DeadNode();
        using var b = new DeadNode();
        await using var harness = Harness(a.Url, b.Url);

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => harness.Jobs.GetAsync("j1", CancellationToken.None));

        Assert.Contains($"Elasticsearch at {a.Url}/, {b.Url}/ could not be reached (GET /)", e.Message);
    }

    [Fact]
    public async Task The_single_url_setting_and_the_list_are_one_pool()
    {
        using var dead = new DeadNode();
        await using var harness = new StoreHarness(new Dictionary<string, string?> { ["Urls:0"] = _second.Url, ["MaxRetries"] = "2" }, url: dead.Url);
        StoreHarness.StubCompatibleCluster(_second);

        await harness.Bootstrapper.EnsureAsync(CancellationToken.None);

        Assert.Equal(4, _second.Requests.Count);
    }

    private static StoreHarness Harness(string first, string second) =>
        new(new Dictionary<string, string?> { ["Urls:0"] = first, ["Urls:1"] = second, ["MaxRetries"] = "2" });
}
