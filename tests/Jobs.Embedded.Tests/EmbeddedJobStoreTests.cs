using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests;

/// <summary>Durability, recovery, group commit and what only the embedded store does.</summary>
public sealed class EmbeddedJobStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Restart_on_the_same_data_path_keeps_jobs_updates_and_processes()
    {
        using (var store = _dir.OpenStore())
        {
            await store.CreateAsync(Job("job-1", ["a"]), None);
            await store.CreateAsync(Job("job-2"), None);
            await store.ApplyAsync([Running("job-1", "u1", 30)], None);
            await store.DeployAsync(Process("p", "1"), None);
            await store.DeployAsync(Process("p", "2"), None);
            await store.UndeployAsync("p", "1", None);
        }

        using var reopened = _dir.OpenStore();
        var job = await reopened.GetAsync("job-1", None);
        Assert.Equal(JobStatus.Running, job!.Status);
        Assert.Equal(30, job.Progress);
        Assert.NotNull(await reopened.GetAsync("job-2", None));
        Assert.Equal(["p:2"], (await reopened.ListAsync(None)).Select(p => $"{p.Id}:{p.Version}"));
        var count = await reopened.CountAsync(null, None);
        Assert.Equal(2, count["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Recovery_replays_the_log_written_after_the_last_checkpoint()
    {
        var store = _dir.OpenStore();
        await store.CreateAsync(Job("before-1"), None);
        await store.CreateAsync(Job("before-2"), None);
        await store.DeployAsync(Process("p", "1"), None);
        await store.CheckpointAsync();
        await store.CreateAsync(Job("after-1"), None);
        await store.ApplyAsync([Running("before-1", "u1")], None);
        await store.DeployAsync(Process("p", "2"), None);
        await store.UndeployAsync("p", "1", None);
        store.Abandon(); // like a crash: no checkpoint at close

        using var reopened = _dir.OpenStore();

        Assert.Equal(4, reopened.Replayed);
        Assert.NotNull(await reopened.GetAsync("before-2", None));
        Assert.NotNull(await reopened.GetAsync("after-1", None));
        Assert.Equal(JobStatus.Running, (await reopened.GetAsync("before-1", None))!.Status);
        Assert.Equal(["p:2"], (await reopened.ListAsync(None)).Select(p => $"{p.Id}:{p.Version}"));
        var search = await reopened.SearchAsync(new JsonObject { ["query"] = new JsonObject { ["term"] = new JsonObject { ["status"] = "running" } } }, None);
        Assert.Equal("before-1", search["hits"]!["hits"]![0]!["_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_jobs_events_survive_a_crash_with_the_job_and_still_de_duplicate_after_recovery()
    {
        var store = _dir.OpenStore();
        await store.CreateAsync(Job("j1"), None);
        await store.ApplyAsync([Running("j1", "u1", 10)], None);
        await store.CheckpointAsync();
        await store.ApplyAsync([Running("j1", "u2", 20), Running("j1", "u3", 30)], None);
        store.Abandon(); // the events of u2 and u3 exist only in the log now

        using var reopened = _dir.OpenStore();

        var history = await reopened.GetHistoryAsync("j1", null, 100, None);
        Assert.Equal(["j1", "u1", "u2", "u3"], history.Events.Select(e => e.Id));
        var again = await reopened.ApplyAsync([Running("j1", "u3", 30), Running("j1", "u1", 10)], None);
        Assert.All(again, r => Assert.Equal(UpdateOutcomeKind.Duplicate, r.Outcome));
        Assert.Equal(30, (await reopened.GetAsync("j1", None))!.Progress);
    }

    [Fact]
    public async Task A_late_update_replays_the_events_from_the_events_index_after_a_restart()
    {
        using (var store = _dir.OpenStore())
        {
            await store.CreateAsync(Job("j1"), None);
            await store.ApplyAsync([Running("j1", "u3", 30), Running("j1", "u2", 20)], None);
        }

        using var reopened = _dir.OpenStore();
        var late = new JobUpdate(new UpdateMessage { Id = "u1", JobId = "j1", Token = Token, Time = T0.AddSeconds(5), Status = JobStatus.Failed }, EventSources.Api);
        await reopened.ApplyAsync([late], None);

        var job = (await reopened.GetAsync("j1", None))!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(T0.AddSeconds(5), job.StopTime);
        Assert.Null(job.StartTime);
        var history = (await reopened.GetHistoryAsync("j1", null, 100, None)).Events;
        Assert.Equal([EventOutcome.Superseded, EventOutcome.Superseded], history.Where(e => e.Id is "u2" or "u3").Select(e => e.Outcome));
    }

    [Fact]
    public async Task An_index_whose_first_commit_was_torn_by_a_crash_is_rebuilt_from_the_log()
    {
        var store = _dir.OpenStore();
        await store.CreateAsync(Job("j1"), None);
        await store.CheckpointAsync();
        await store.ApplyAsync([Running("j1", "u1", 20)], None);
        await store.CreateAsync(Job("j2"), None);
        store.Abandon();
        // A kill -9 while Lucene wrote its first commit leaves segments_1 cut short.
        var index = Path.Combine(_dir.Path, "jobs", "index");
        var first = Directory.GetFiles(index, "segments_*").Single();
        Assert.EndsWith("segments_1", first, StringComparison.Ordinal);
        using (var stream = new FileStream(first, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        using var reopened = _dir.OpenStore();

        Assert.Equal(20, (await reopened.GetAsync("j1", None))!.Progress);
        Assert.NotNull(await reopened.GetAsync("j2", None));
        Assert.Equal(2, (await reopened.CountAsync(null, None))["count"]!.GetValue<int>());
        Assert.Equal(["j1", "u1"], (await reopened.GetHistoryAsync("j1", null, 10, None)).Events.Select(e => e.Id));
    }

    [Fact]
    public async Task A_change_too_large_for_the_log_is_refused_with_the_reason_and_nothing_is_stored()
    {
        using var store = _dir.OpenStore();
        // 11 MiB of '<' is 66 MiB once JSON escapes each as \u003C: past the log's 64 MiB records.
        var huge = Job("huge") with { Outputs = new Dictionary<string, System.Text.Json.JsonElement> { ["o"] = System.Text.Json.JsonSerializer.SerializeToElement(new string('<', 11 << 20)) } };

        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(huge, None));

        Assert.Contains("64 MiB", refused.Message);
        Assert.Null(await store.GetAsync("huge", None));
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, store.Health.Status);
        Assert.True(await store.CreateAsync(Job("small"), None));
    }

    [Fact]
    public async Task Checkpoint_deletes_the_log_segments_it_covers()
    {
        using var store = _dir.OpenStore();
        await store.CreateAsync(Job("job-1"), None);
        await store.CheckpointAsync();
        await store.CreateAsync(Job("job-2"), None); // goes to a new segment
        await store.CheckpointAsync();

        var segments = Directory.GetFiles(Path.Combine(_dir.Path, "jobs", "wal"), "*.wal");

        Assert.Single(segments);
    }

    [Fact]
    public async Task Concurrent_writes_share_fsyncs()
    {
        using var store = _dir.OpenStore();
        await store.CreateAsync(Job("warm-up"), None);
        using var firstFsyncStarted = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        store.Log.BeforeFsync = () =>
        {
            firstFsyncStarted.Set();
            release.Wait();
        };
        var before = store.FsyncCount;
        const int writes = 40;

        // The first write's fsync is held until every other write has reached the log.
        var first = Task.Run(() => store.CreateAsync(Job("w-first"), None));
        firstFsyncStarted.Wait();
        var others = Enumerable.Range(0, writes - 1).Select(i => Task.Run(() => store.CreateAsync(Job($"w-{i}"), None))).ToList();
        while (store.Log.LastSequence < writes + 1)
        {
            await Task.Yield();
        }

        release.Set();
        await Task.WhenAll([first, .. others]);

        Assert.True(store.FsyncCount - before < writes, $"{store.FsyncCount - before} fsyncs for {writes} writes");
        Assert.Equal(writes + 1, (await store.CountAsync(null, None))["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task History_read_of_a_write_on_its_way_to_disk_waits_without_blocking_and_sees_it()
    {
        using var store = _dir.OpenStore();
        await store.CreateAsync(Job("job-1"), None);
        using var fsyncStarted = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        store.Log.BeforeFsync = () =>
        {
            fsyncStarted.Set();
            release.Wait();
        };
        // Only so that a read which blocks fails this test rather than hanging it.
        using var backstop = new Timer(_ => release.Set(), null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);

        // The update is staged and its record is held before its fsync.
        var update = Task.Run(() => store.ApplyAsync([Running("job-1", "u1", 40)], None));
        fsyncStarted.Wait();
        var read = store.GetHistoryAsync("job-1", null, 10, None);
        var returnedWhileHeld = !release.IsSet;
        var completedWhileHeld = read.IsCompleted;
        store.Log.BeforeFsync = null;
        release.Set();
        var page = await read;
        await update;

        Assert.True(returnedWhileHeld, "the history read blocked its caller until the write was durable");
        Assert.False(completedWhileHeld);
        Assert.Equal(["job-1", "u1"], page.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task Write_whose_fsync_fails_is_not_acknowledged_and_the_store_reports_unready()
    {
        using var store = _dir.OpenStore();
        store.Log.BeforeFsync = () => throw new IOException("disk full");

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(Job("job-1"), None));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ApplyAsync([Running("job-1", "u1")], None));
        Assert.False((await store.CheckHealthAsync(None)).Ready);
    }

    [Fact]
    public async Task Get_finds_a_job_after_a_search_made_the_live_copy_redundant()
    {
        using var store = _dir.OpenStore();
        await store.CreateAsync(Job("job-1"), None);
        await store.ApplyAsync([Running("job-1", "u1", 20)], None);

        await store.SearchAsync(new JsonObject(), None); // refreshes, evicting the live copy

        Assert.Equal(20, (await store.GetAsync("job-1", None))!.Progress);
        var results = await store.ApplyAsync([Running("job-1", "u2", 40)], None);
        Assert.Equal(UpdateOutcomeKind.Applied, results[0].Outcome);
        Assert.Equal(40, (await store.GetAsync("job-1", None))!.Progress);
    }

    [Theory]
    [InlineData("""{"query":{"fuzzy":{"message":"copyng"}}}""", "fuzzy")]
    [InlineData("""{"query":{"regexp":{"labels":"re.*"}}}""", "regexp")]
    [InlineData("""{"query":{"match_phrase_prefix":{"message":"cop"}}}""", "match_phrase_prefix")]
    [InlineData("""{"query":{"bool":{"must":[{"query_string":{"query":"copyng~"}}]}}}""", "query_string fuzzy")]
    [InlineData("""{"query":{"query_string":{"query":"labels:/re.*/"}}}""", "query_string regular expression")]
    [InlineData("""{"query":{"match":{"message":{"query":"x","fuzziness":"AUTO"}}}}""", "match.fuzziness")]
    [InlineData("""{"query":{"multi_match":{"query":"x","type":"cross_fields"}}}""", "multi_match.type cross_fields")]
    [InlineData("""{"aggs":{"h":{"histogram":{"field":"progress","interval":10}}}}""", "histogram aggregation")]
    [InlineData("""{"aggs":{"t":{"terms":{"field":"status","include":"r.*"}}}}""", "terms.include")]
    [InlineData("""{"aggs":{"d":{"date_histogram":{"field":"created","calendar_interval":"day","hard_bounds":{"min":0}}}}}""", "date_histogram.hard_bounds")]
    [InlineData("""{"post_filter":{"match_all":{}}}""", "post_filter")]
    public async Task Construct_not_supported_is_refused_by_name(string body, string construct)
    {
        using var store = _dir.OpenStore();

        var error = await Assert.ThrowsAsync<SearchException>(() => store.SearchAsync(JsonNode.Parse(body)!.AsObject(), None));

        Assert.Equal(400, error.Status);
        Assert.Contains(construct, error.Reason, StringComparison.Ordinal);
        Assert.Equal(error.Type, error.ToResponse()["error"]!["root_cause"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Registration_gives_one_store_for_both_ports_closed_with_the_container()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:Embedded:DataPath"] = _dir.Path })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddEmbeddedJobStore(configuration);

        await using (var provider = services.BuildServiceProvider())
        {
            var jobs = provider.GetRequiredService<IJobStore>();
            Assert.Same(jobs, provider.GetRequiredService<IProcessRegistry>());
            await jobs.CreateAsync(Job("job-1"), None);
        }

        // Closed by the container: the same path opens again (Lucene's write lock was released).
        using var reopened = _dir.OpenStore();
        Assert.NotNull(await reopened.GetAsync("job-1", None));
    }

    [Fact]
    public void Data_path_defaults_to_data_under_the_current_directory()
    {
        Assert.Equal("./data", new EmbeddedStoreOptions().DataPath);
        Assert.Equal("Jobs:Embedded", EmbeddedStoreOptions.SectionName);
    }
}
