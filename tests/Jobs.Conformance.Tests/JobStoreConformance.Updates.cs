using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;
using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>Batches of updates: outcomes per update in batch order, and the history they leave.</summary>
public abstract partial class JobStoreConformance
{
    [SkippableFact]
    public async Task Batch_results_follow_the_batch_order_across_jobs_and_outcomes()
    {
        var store = await StoreAsync();
        await store.Jobs.CreateAsync(NewJob("job-a"), None);
        await store.Jobs.CreateAsync(NewJob("job-b"), None);
        await store.Jobs.ApplyAsync([Update("job-a", "done-before", T0.AddSeconds(1), JobStatus.Running)], None);

        var results = await store.Jobs.ApplyAsync(
        [
            Update("job-b", "b1", T0.AddSeconds(2), JobStatus.Running),
            Update("job-a", "done-before", T0.AddSeconds(1), JobStatus.Running),
            Update("job-a", "a-bad-token", T0.AddSeconds(3), JobStatus.Succeeded, token: "wrong"),
            Update("job-x", "x1", T0.AddSeconds(4), JobStatus.Running),
            Update("job-a", "a-done", T0.AddSeconds(5), JobStatus.Succeeded),
            Update("job-a", "a-late", T0.AddSeconds(6), JobStatus.Failed),
        ], None);

        Assert.Equal(["b1", "done-before", "a-bad-token", "x1", "a-done", "a-late"], results.Select(r => r.UpdateId));
        Assert.Equal(
            [UpdateOutcomeKind.Applied, UpdateOutcomeKind.Duplicate, UpdateOutcomeKind.Rejected, UpdateOutcomeKind.JobNotFound, UpdateOutcomeKind.Applied, UpdateOutcomeKind.Superseded],
            results.Select(r => r.Outcome));
        Assert.Equal(JobStatus.Succeeded, (await store.Jobs.GetAsync("job-a", None))!.Status);
        Assert.Equal(JobStatus.Running, (await store.Jobs.GetAsync("job-b", None))!.Status);
        Assert.Null(await store.Jobs.GetAsync("job-x", None));
    }

    [SkippableFact]
    public async Task Update_for_an_unknown_job_with_create_if_missing_creates_it_then_applies()
    {
        var store = await StoreAsync();
        var legacy = JobMerger.Create(new JobDocument { Id = "legacy-1", ProcessId = "l1b-cwl", Created = T0 }, ["from-unity"]);
        var update = Update("legacy-1", "sns-msg-1", T0.AddSeconds(1), JobStatus.Running, token: null) with { Trusted = true, CreateIfMissing = legacy };

        var results = await store.Jobs.ApplyAsync([update], None);

        Assert.Equal(UpdateOutcomeKind.Applied, Assert.Single(results).Outcome);
        var job = await store.Jobs.GetAsync("legacy-1", None);
        Assert.Equal(JobStatus.Running, job!.Status);
        Assert.Equal(["from-unity"], job.Labels);
    }

    [SkippableFact]
    public async Task Create_if_missing_leaves_an_existing_job_as_it_is()
    {
        var store = await StoreAsync();
        await store.Jobs.CreateAsync(NewJob("job-a", userId: "alice"), None);
        var other = JobMerger.Create(new JobDocument { Id = "job-a", ProcessId = "other", Created = T0, UserId = "bob" }, null);

        await store.Jobs.ApplyAsync([Update("job-a", "u1", T0.AddSeconds(1), JobStatus.Running) with { CreateIfMissing = other }], None);

        var job = await store.Jobs.GetAsync("job-a", None);
        Assert.Equal("alice", job!.UserId);
        Assert.Equal(JobStatus.Running, job.Status);
    }

    [SkippableFact]
    public async Task History_keeps_every_event_once_in_merge_order_including_rejected_ones()
    {
        var store = await StoreAsync();
        await store.Jobs.CreateAsync(NewJob("job-a"), None);

        await store.Jobs.ApplyAsync([Update("job-a", "u2", T0.AddSeconds(20), progress: 50), Update("job-a", "u1", T0.AddSeconds(10), JobStatus.Running)], None);
        await store.Jobs.ApplyAsync([Update("job-a", "u1", T0.AddSeconds(10), JobStatus.Running), Update("job-a", "u3", T0.AddSeconds(30), token: "nope")], None);
        await store.Jobs.ApplyAsync([Update("job-a", "u2", T0.AddSeconds(20), progress: 50)], None);

        var events = await HistoryAsync(store, "job-a");
        Assert.Equal(["job-a", "u1", "u2", "u3"], events.Select(e => e.Id));
        Assert.Equal([EventOutcome.Applied, EventOutcome.Applied, EventOutcome.Applied, EventOutcome.Rejected], events.Select(e => e.Outcome));
    }

    [SkippableFact]
    public async Task Concurrent_batches_on_one_job_lose_no_update()
    {
        var store = await StoreAsync();
        await store.Jobs.CreateAsync(NewJob("job-a"), None);

        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => store.Jobs.ApplyAsync(
            [Update("job-a", $"u{i}", T0.AddSeconds(i + 1), labels: new LabelChanges([$"l{i}"], null))], None))));

        var job = await store.Jobs.GetAsync("job-a", None);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"l{i}").Order(), job!.Labels.Order());
        Assert.Equal(25, (await HistoryAsync(store, "job-a")).Count);
    }

    [SkippableFact]
    public async Task Batch_of_only_duplicates_changes_nothing_and_reports_duplicates()
    {
        var store = await StoreAsync();
        await store.Jobs.CreateAsync(NewJob("job-a"), None);
        await store.Jobs.ApplyAsync([Update("job-a", "u1", T0.AddSeconds(1), JobStatus.Running)], None);
        var before = await HistoryAsync(store, "job-a");

        var results = await store.Jobs.ApplyAsync([Update("job-a", "u1", T0.AddSeconds(1), JobStatus.Running)], None);

        Assert.Equal(UpdateOutcomeKind.Duplicate, Assert.Single(results).Outcome);
        Assert.Equal(before.Count, (await HistoryAsync(store, "job-a")).Count);
    }

    [SkippableFact]
    public async Task History_pages_oldest_first_with_a_cursor()
    {
        var store = await StoreAsync();
        await store.Jobs.CreateAsync(NewJob("job-a"), None);
        await store.Jobs.ApplyAsync([.. Enumerable.Range(1, 7).Select(i => Update("job-a", $"u{i}", T0.AddSeconds(10 - i), progress: i))], None);

        var first = await store.Jobs.GetHistoryAsync("job-a", null, 3, None);
        var second = await store.Jobs.GetHistoryAsync("job-a", first.Next, 3, None);
        var third = await store.Jobs.GetHistoryAsync("job-a", second.Next, 3, None);

        Assert.Equal(["job-a", "u7", "u6"], first.Events.Select(e => e.Id));
        Assert.Equal(["u5", "u4", "u3"], second.Events.Select(e => e.Id));
        Assert.Equal(["u2", "u1"], third.Events.Select(e => e.Id));
        Assert.Null(third.Next);
        Assert.Empty((await store.Jobs.GetHistoryAsync("no-such-job", null, 3, None)).Events);
    }

    [SkippableFact]
    public async Task A_wrong_token_with_an_existing_update_id_is_rejected_not_a_duplicate()
    {
        var store = await StoreAsync();
        await store.Jobs.CreateAsync(NewJob("job-a"), None);
        await store.Jobs.ApplyAsync([Update("job-a", "u1", T0.AddSeconds(1), JobStatus.Running)], None);

        var results = await store.Jobs.ApplyAsync([Update("job-a", "u1", T0.AddSeconds(1), JobStatus.Running, token: "nope"), Update("job-a", "job-a", T0, token: "nope")], None);

        Assert.All(results, r => Assert.Equal(UpdateOutcomeKind.Rejected, r.Outcome));
    }

    private static async Task<IReadOnlyList<JobEvent>> HistoryAsync(IStoreUnderTest store, string jobId) =>
        (await store.Jobs.GetHistoryAsync(jobId, null, 1_000, None)).Events;
}
