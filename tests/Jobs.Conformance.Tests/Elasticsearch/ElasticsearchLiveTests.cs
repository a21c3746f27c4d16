using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Search;
using Jobs.Core.Updates;

namespace Jobs.Conformance.Tests.Elasticsearch;

/// <summary>
/// What only a real cluster can show about the Elasticsearch adapter: the mapping it installs
/// is accepted, conditional bulk writes and realtime reads line up, and search sees the jobs
/// after a refresh. Skipped, with the reason, where no cluster is configured.
/// </summary>
public sealed class ElasticsearchLiveTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Created = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private readonly ElasticsearchStoreFactory _factory = new();
    private IStoreUnderTest? _store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task A_job_created_and_updated_in_a_batch_reads_back_merged_and_is_found_by_label_and_status()
    {
        var store = await StoreAsync();
        const string token = "live-token";
        var job = JobMerger.Create(
            new JobDocument { Id = JobIds.New(Created), ProcessId = "l1b-cwl", Created = Created, TokenSha256 = UpdateToken.Hash(token) },
            ["live-test"]);
        Assert.True(await store.Jobs.CreateAsync(job, CancellationToken.None));
        Assert.False(await store.Jobs.CreateAsync(job with { ProcessId = "other" }, CancellationToken.None));

        var results = await store.Jobs.ApplyAsync(
            [Update("u1", job.Id, token, JobStatus.Running, 1), Update("u2", job.Id, token, JobStatus.Succeeded, 2), Update("u1", job.Id, token, JobStatus.Running, 1)],
            CancellationToken.None);

        Assert.Equal([UpdateOutcomeKind.Applied, UpdateOutcomeKind.Applied, UpdateOutcomeKind.Duplicate], results.Select(r => r.Outcome));
        var read = await store.Jobs.GetAsync(job.Id, CancellationToken.None);
        Assert.Equal(JobStatus.Succeeded, read!.Status);
        await store.RefreshAsync();
        var found = await store.Jobs.SearchAsync(
            JsonNode.Parse("""{"query":{"bool":{"filter":[{"term":{"labels":"live-test"}},{"term":{"status":"succeeded"}}]}}}""")!.AsObject(),
            CancellationToken.None);
        Assert.Equal(1, found["hits"]!["total"]!["value"]!.GetValue<int>());
        Assert.Equal(job.Id, (string?)found["hits"]!["hits"]![0]!["_id"]);
    }

    [SkippableFact]
    public async Task A_query_the_cluster_refuses_surfaces_as_its_own_error()
    {
        var store = await StoreAsync();

        var e = await Assert.ThrowsAsync<SearchException>(() =>
            store.Jobs.SearchAsync(JsonNode.Parse("""{"query":{"no_such_query":{}}}""")!.AsObject(), CancellationToken.None));

        Assert.Equal(400, e.Status);
        Assert.Equal("parsing_exception", e.Type);
    }

    [SkippableFact]
    public async Task The_health_check_reports_the_cluster_ready()
    {
        var store = await StoreAsync();

        var health = await store.Jobs.CheckHealthAsync(CancellationToken.None);

        Assert.True(health.Ready, health.Description);
    }

    private async Task<IStoreUnderTest> StoreAsync()
    {
        Skip.If(_factory.SkipReason is not null, _factory.SkipReason);
        _store = await _factory.CreateAsync();
        return _store;
    }

    private static JobUpdate Update(string id, string jobId, string token, JobStatus status, int minute) => new(
        new UpdateMessage { Id = $"{jobId}-{id}", JobId = jobId, Token = token, Time = Created.AddMinutes(minute), Status = status },
        EventSources.Api);
}
