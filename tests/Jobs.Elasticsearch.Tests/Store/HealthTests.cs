using Jobs.Elasticsearch.Tests.Support;

namespace Jobs.Elasticsearch.Tests.Store;

public sealed class HealthTests
{
    [Fact]
    public async Task A_cluster_that_counts_the_jobs_is_ready_and_says_what_it_is()
    {
        await using var harness = new StoreHarness();
        await harness.StartAsync();
        harness.Es.On("POST", "/jobs/_count", 200, """{"count":12,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""");

        var health = await harness.Jobs.CheckHealthAsync(CancellationToken.None);

        Assert.True(health.Ready);
        Assert.Equal($"Elasticsearch 8.15.3 at {harness.Es.Url}/: [jobs] holds 12 jobs", health.Description);
        Assert.Equal(["POST /jobs/_count"], harness.Es.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task A_cluster_that_cannot_serve_is_not_ready_and_the_probe_is_not_retried()
    {
        await using var harness = new StoreHarness();
        await harness.StartAsync();
        harness.Es.On("POST", "/jobs/_count", 503, """
            {"error":{"root_cause":[],"type":"search_phase_execution_exception","reason":"all shards failed","phase":"query","grouped":true,"failed_shards":[]},"status":503}
            """);

        var health = await harness.Jobs.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.Ready);
        Assert.Contains("answered 503 (search_phase_execution_exception: all shards failed)", health.Description);
        Assert.Single(harness.Es.Requests);
    }

    [Fact]
    public async Task An_unreachable_cluster_is_not_ready()
    {
        using var dead = new DeadNode();
        await using var harness = new StoreHarness(url: dead.Url);

        var health = await harness.Jobs.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.Ready);
        Assert.Contains("could not be reached (GET /)", health.Description);
    }

    [Fact]
    public async Task Before_the_first_bootstrap_a_cluster_shedding_load_is_reported_not_ready_after_one_request()
    {
        await using var harness = new StoreHarness();
        harness.Es.On("GET", "/", 503, EsAnswers.ServiceUnavailable);

        var health = await harness.Jobs.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.Ready);
        Assert.Contains("GET / answered 503 (cluster_block_exception", health.Description);
        Assert.Single(harness.Es.Requests);
    }

    [Fact]
    public async Task The_first_probe_of_a_healthy_cluster_bootstraps_the_store()
    {
        await using var harness = new StoreHarness();
        StoreHarness.StubCompatibleCluster(harness.Es);
        harness.Es.On("POST", "/jobs/_count", 200, """{"count":0,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""");

        var health = await harness.Jobs.CheckHealthAsync(CancellationToken.None);

        Assert.True(health.Ready, health.Description);
        Assert.Equal(
            ["GET /", "GET /", "GET /jobs/_mapping", "GET /job-events/_mapping", "GET /processes/_mapping", "POST /jobs/_count"],
            harness.Es.Requests.Select(r => r.Line));
    }
}
