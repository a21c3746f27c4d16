using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Merging;
using Jobs.Core.Updates;
using static Jobs.Core.Tests.TestJobs;

namespace Jobs.Core.Tests.Merging;

public class JobMergerTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    private static MemoryMergeStore Store(JobDocument? job = null) => new(job ?? NewJob());

    private static IReadOnlyList<UpdateResult> Apply(MemoryMergeStore store, params JobUpdate[] updates) => store.Apply(Now, updates);

    [Fact]
    public void New_job_is_submitted_with_its_labels_and_one_creation_event()
    {
        var store = Store(NewJob(labels: ["a", "b"]));

        Assert.Equal(JobStatus.Submitted, store.Job.Status);
        Assert.Equal(["a", "b"], store.Job.Labels);
        Assert.Equal(T0, store.Job.Updated);
        var creation = Assert.Single(store.History);
        Assert.True(creation.IsCreation);
        Assert.Equal(store.Job.Id, creation.Id);
        Assert.Equal(["a", "b"], creation.Labels!.Add);
    }

    [Fact]
    public void Running_then_succeeded_sets_start_stop_and_duration()
    {
        var store = Store();
        var results = Apply(store, Update("u1", 10, JobStatus.Running), Update("u2", 70, JobStatus.Succeeded));

        var job = store.Job;
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(T0.AddSeconds(10), job.StartTime);
        Assert.Equal(T0.AddSeconds(70), job.StopTime);
        Assert.Equal(60, job.Duration);
        Assert.Equal(T0.AddSeconds(70), job.LastEventTime);
        Assert.Equal(T0.AddSeconds(70), job.Updated);
        Assert.All(results, r => Assert.Equal(UpdateOutcomeKind.Applied, r.Outcome));
    }

    [Fact]
    public void A_later_terminal_event_does_not_change_the_status()
    {
        var store = Store();
        Apply(store, Update("u1", 10, JobStatus.Failed));

        var results = Apply(store, Update("u2", 20, JobStatus.Succeeded, message: "late"), Update("u3", 30, JobStatus.Running));

        Assert.Equal(JobStatus.Failed, store.Job.Status);
        Assert.Null(store.Job.Message);
        Assert.All(results, r => Assert.Equal(UpdateOutcomeKind.Superseded, r.Outcome));
        Assert.Contains("earliest terminal event decides", results[0].Reason);
    }

    [Fact]
    public void Status_never_moves_back_in_rank()
    {
        var store = Store();
        Apply(store, Update("u1", 10, JobStatus.Running));

        var results = Apply(store, Update("u2", 20, JobStatus.Submitted, message: "queued again"));

        Assert.Equal(JobStatus.Running, store.Job.Status);
        Assert.Null(store.Job.Message);
        Assert.Equal(UpdateOutcomeKind.Superseded, results[0].Outcome);
    }

    [Fact]
    public void Older_event_arriving_late_does_not_overwrite_newer_fields()
    {
        var store = Store();
        Apply(store, Update("u2", 20, JobStatus.Running, stage: "process", progress: 60, message: "processing"));

        Apply(store, Update("u1", 10, JobStatus.Running, stage: "stage-in", progress: 10, message: "copying"));

        Assert.Equal("process", store.Job.Stage);
        Assert.Equal(60, store.Job.Progress);
        Assert.Equal("processing", store.Job.Message);
        Assert.Equal(T0.AddSeconds(10), store.Job.StartTime);
    }

    [Fact]
    public void Late_terminal_event_older_than_a_running_event_still_finishes_the_job_at_its_own_time()
    {
        var store = Store();
        Apply(store, Update("u3", 30, JobStatus.Running, message: "still going"));

        Apply(store, Update("u2", 20, JobStatus.Succeeded));

        // Replayed in time order: succeeded at 20 s is terminal, so the running event at 30 s loses.
        Assert.Equal(JobStatus.Succeeded, store.Job.Status);
        Assert.Equal(T0.AddSeconds(20), store.Job.StopTime);
        Assert.Null(store.Job.Message);
        Assert.Equal(EventOutcome.Superseded, store.History.Single(e => e.Id == "u3").Outcome);
    }

    [Fact]
    public void An_earlier_terminal_event_arriving_late_corrects_the_status_and_says_so_in_the_history()
    {
        var store = Store();
        Apply(store, Update("u2", 2, JobStatus.Succeeded));

        Apply(store, Update("u1", 1, JobStatus.Failed, error: new JobError("workflow-failed", "exit 1")));

        Assert.Equal(JobStatus.Failed, store.Job.Status);
        Assert.Equal(T0.AddSeconds(1), store.Job.StopTime);
        Assert.Equal(EventOutcome.Superseded, store.History.Single(e => e.Id == "u2" && e.Outcome != EventOutcome.Corrected).Outcome);
        var correction = Assert.Single(store.History, e => e.Outcome == EventOutcome.Corrected);
        Assert.Equal(JobStatus.Failed, correction.Status);
        Assert.Equal(EventSources.Merge, correction.Source);
        Assert.Contains("corrected from succeeded", correction.Reason);
        Assert.Equal(Now, correction.Time);
    }

    [Fact]
    public void A_dismissed_job_becomes_successful_when_the_workers_older_success_arrives()
    {
        var store = Store();
        Apply(store, Update("dismiss", 60, JobStatus.Dismissed, token: null) with { Trusted = true });

        Apply(store, Update("u1", 50, JobStatus.Succeeded, outputs: Outputs(("out", "s3://b/o"))));

        Assert.Equal(JobStatus.Succeeded, store.Job.Status);
        Assert.Contains(store.History, e => e.Outcome == EventOutcome.Corrected && e.Reason!.Contains("from dismissed"));
    }

    [Fact]
    public void Outputs_merge_by_key_even_after_the_job_finished()
    {
        var store = Store();
        Apply(
            store,
            Update("u1", 10, JobStatus.Succeeded, outputs: Outputs(("a", "s3://b/a1"))),
            Update("u2", 20, outputs: Outputs(("b", "s3://b/b"))),
            Update("u3", 30, outputs: Outputs(("a", "s3://b/a2"))));

        Assert.Equal("s3://b/a2", store.Job.Outputs["a"].GetString());
        Assert.Equal("s3://b/b", store.Job.Outputs["b"].GetString());
        Assert.Equal(JobStatus.Succeeded, store.Job.Status);
    }

    [Fact]
    public void Labels_are_added_and_removed_as_sets()
    {
        var store = Store(NewJob(labels: ["campaign-3", "test"]));
        Apply(
            store,
            Update("u1", 10, labels: new LabelChanges(["reprocessing-3", "campaign-3"], ["test"])),
            Update("u2", 20, labels: new LabelChanges(null, ["missing"])));

        Assert.Equal(["campaign-3", "reprocessing-3"], store.Job.Labels);
    }

    [Fact]
    public void Same_update_id_twice_is_applied_once()
    {
        var store = Store();
        Apply(store, Update("u1", 10, JobStatus.Running));

        var results = Apply(store, Update("u1", 10, JobStatus.Running), Update("u2", 11, progress: 5), Update("u2", 11, progress: 5));

        Assert.Equal([UpdateOutcomeKind.Duplicate, UpdateOutcomeKind.Applied, UpdateOutcomeKind.Duplicate], results.Select(r => r.Outcome));
        Assert.Equal(3, store.History.Count);
    }

    [Fact]
    public void Batch_of_only_duplicates_writes_nothing()
    {
        var store = Store();
        Apply(store, Update("u1", 10, JobStatus.Running));
        var before = store.Job;

        Apply(store, Update("u1", 10, JobStatus.Running));

        Assert.Equal(1, store.Writes);
        Assert.Same(before, store.Job);
    }

    [Fact]
    public void Wrong_token_is_rejected_and_recorded_without_its_payload_but_not_merged()
    {
        var store = Store();
        var results = Apply(store, Update("u1", 10, JobStatus.Running, token: "not-the-token", message: new string('<', 1000)));

        Assert.Equal(UpdateOutcomeKind.Rejected, results[0].Outcome);
        Assert.Equal(JobStatus.Submitted, store.Job.Status);
        var recorded = store.History.Single(e => e.Id == "u1");
        Assert.Equal(EventOutcome.Rejected, recorded.Outcome);
        Assert.Contains("token", recorded.Reason);
        Assert.Null(recorded.Message);
    }

    [Fact]
    public void The_token_is_checked_before_the_update_id_so_a_wrong_token_never_learns_of_a_duplicate()
    {
        var store = Store();
        Apply(store, Update("u1", 10, JobStatus.Running));

        var repeated = Apply(store, Update("u1", 10, JobStatus.Running, token: "wrong"));
        var jobId = Apply(store, Update(store.Job.Id, 10, token: "wrong"));

        Assert.Equal(UpdateOutcomeKind.Rejected, repeated[0].Outcome);
        Assert.Equal(UpdateOutcomeKind.Rejected, jobId[0].Outcome);
        Assert.Equal(UpdateOutcomeKind.Duplicate, Apply(store, Update("u1", 10, JobStatus.Running))[0].Outcome);
    }

    [Fact]
    public void A_rejected_update_id_can_later_be_applied_with_the_right_token()
    {
        var store = Store();
        Apply(store, Update("u1", 10, JobStatus.Running, token: "wrong"));

        var results = Apply(store, Update("u1", 10, JobStatus.Running));

        Assert.Equal(UpdateOutcomeKind.Applied, results[0].Outcome);
        Assert.Equal(JobStatus.Running, store.Job.Status);
        Assert.Equal([EventOutcome.Applied, EventOutcome.Rejected], store.History.Where(e => e.Id == "u1").Select(e => e.Outcome).Order());
    }

    [Fact]
    public void Trusted_update_needs_no_token()
    {
        var store = Store();
        Apply(store, Update("u1", 10, JobStatus.Dismissed, token: null) with { Trusted = true });

        Assert.Equal(JobStatus.Dismissed, store.Job.Status);
    }

    [Fact]
    public void Rejected_updates_are_bounded_in_count_and_bytes()
    {
        var store = Store();
        var updates = Enumerable.Range(0, JobMerger.MaxRejectedEvents + 25)
            .Select(i => Update($"bad-{i:D3}", i, token: "wrong", message: new string('x', 10_000)))
            .ToArray();
        var sizeBefore = JobsJson.ToUtf8(store.Job).Length;

        var results = Apply(store, updates);

        Assert.All(results, r => Assert.Equal(UpdateOutcomeKind.Rejected, r.Outcome));
        var rejected = store.History.Where(e => e.Outcome == EventOutcome.Rejected).ToList();
        Assert.Equal(JobMerger.MaxRejectedEvents, rejected.Count);
        Assert.Equal(25, store.Job.Merge!.RejectedUnrecorded);
        Assert.True(rejected.Sum(e => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(e, JobsJsonContext.Default.JobEvent).Length) < 20_000);
        Assert.True(JobsJson.ToUtf8(store.Job).Length < sizeBefore + 100);
    }

    [Fact]
    public void The_document_does_not_grow_with_the_number_of_updates_and_in_order_updates_never_read_the_history()
    {
        var store = Store();
        for (var i = 1; i <= 100; i++)
        {
            Apply(store, Update($"p{i:D5}", i, JobStatus.Running, progress: i % 100, message: "working"));
        }

        // Same content at 100 and at 2,000 (progress i % 100, same message): only history could differ.
        var at100 = JobsJson.ToUtf8(store.Job).Length;
        for (var i = 101; i <= 2_000; i++)
        {
            Apply(store, Update($"p{i:D5}", i, JobStatus.Running, progress: i % 100, message: "working"));
        }

        Assert.Equal(at100, JobsJson.ToUtf8(store.Job).Length);
        Assert.Equal(0, store.HistoryLoads);
        Assert.Equal(2_001, store.History.Count);
    }

    [Fact]
    public void An_update_older_than_the_newest_event_replays_the_history()
    {
        var store = Store();
        Apply(store, Update("u2", 20, JobStatus.Running));

        Apply(store, Update("u1", 10, stage: "stage-in"));

        Assert.Equal(1, store.HistoryLoads);
        Assert.Equal("stage-in", store.Job.Stage);
    }

    [Fact]
    public void A_document_with_its_history_inside_moves_it_to_the_events_on_its_next_update()
    {
        var store = Store();
        Apply(store, Update("u1", 10, JobStatus.Running, labels: new LabelChanges(["x"], null)));
        var legacy = store.Job with { Merge = null, LegacyEvents = store.History };
        var migrated = Store(legacy);

        var results = migrated.Apply(Now, Update("u1", 10, JobStatus.Running), Update("u2", 20, progress: 50));

        Assert.Equal([UpdateOutcomeKind.Duplicate, UpdateOutcomeKind.Applied], results.Select(r => r.Outcome));
        Assert.Null(migrated.Job.LegacyEvents);
        Assert.Equal(["x"], migrated.Job.Labels);
        Assert.Equal(3, migrated.History.Count);
    }

    [Fact]
    public void Update_for_another_job_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => JobMerger.Apply(NewJob(), [Update("u1", 10, jobId: "other")], Now, new HashSet<string>()));
    }

    [Fact]
    public void Error_message_and_stage_come_from_the_terminal_event()
    {
        var store = Store();
        Apply(
            store,
            Update("u1", 10, JobStatus.Running, stage: "l1b"),
            Update("u2", 20, JobStatus.Failed, error: new JobError("workflow-failed", "step l1b exited 2"), message: "failed"));

        Assert.Equal("workflow-failed", store.Job.Error!.Type);
        Assert.Equal("failed", store.Job.Message);
        Assert.Equal("l1b", store.Job.Stage);
    }
}
