using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;
using static Jobs.Core.Tests.TestJobs;

namespace Jobs.Core.Tests.Merging;

public class JobMergerTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    private static JobMerger.MergeResult Apply(JobDocument job, params JobUpdate[] updates) => JobMerger.Apply(job, updates, Now);

    [Fact]
    public void New_job_is_submitted_with_its_labels_and_one_creation_event()
    {
        var job = NewJob(labels: ["a", "b"]);

        Assert.Equal(JobStatus.Submitted, job.Status);
        Assert.Equal(["a", "b"], job.Labels);
        Assert.Equal(T0, job.Updated);
        var creation = Assert.Single(job.Events);
        Assert.True(creation.IsCreation);
        Assert.Equal(job.Id, creation.Id);
    }

    [Fact]
    public void Running_then_succeeded_sets_start_stop_and_duration()
    {
        var result = Apply(NewJob(), Update("u1", 10, JobStatus.Running), Update("u2", 70, JobStatus.Succeeded));

        var job = result.Job;
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(T0.AddSeconds(10), job.StartTime);
        Assert.Equal(T0.AddSeconds(70), job.StopTime);
        Assert.Equal(60, job.Duration);
        Assert.Equal(T0.AddSeconds(70), job.LastEventTime);
        Assert.Equal(T0.AddSeconds(70), job.Updated);
        Assert.All(result.Results, r => Assert.Equal(UpdateOutcomeKind.Applied, r.Outcome));
    }

    [Fact]
    public void Terminal_status_never_changes_again()
    {
        var done = Apply(NewJob(), Update("u1", 10, JobStatus.Failed)).Job;

        var result = Apply(done, Update("u2", 20, JobStatus.Succeeded, message: "late"), Update("u3", 30, JobStatus.Running));

        Assert.Equal(JobStatus.Failed, result.Job.Status);
        Assert.Null(result.Job.Message);
        Assert.All(result.Results, r => Assert.Equal(UpdateOutcomeKind.Superseded, r.Outcome));
        Assert.Contains("terminal", result.Results[0].Reason);
    }

    [Fact]
    public void Status_never_moves_back_in_rank()
    {
        var running = Apply(NewJob(), Update("u1", 10, JobStatus.Running)).Job;

        var result = Apply(running, Update("u2", 20, JobStatus.Submitted, message: "queued again"));

        Assert.Equal(JobStatus.Running, result.Job.Status);
        Assert.Null(result.Job.Message);
        Assert.Equal(UpdateOutcomeKind.Superseded, result.Results[0].Outcome);
    }

    [Fact]
    public void Older_event_arriving_late_does_not_overwrite_newer_fields()
    {
        var newer = Apply(NewJob(), Update("u2", 20, JobStatus.Running, stage: "process", progress: 60, message: "processing")).Job;

        var result = Apply(newer, Update("u1", 10, JobStatus.Running, stage: "stage-in", progress: 10, message: "copying"));

        Assert.Equal("process", result.Job.Stage);
        Assert.Equal(60, result.Job.Progress);
        Assert.Equal("processing", result.Job.Message);
        Assert.Equal(T0.AddSeconds(10), result.Job.StartTime);
    }

    [Fact]
    public void Late_terminal_event_older_than_a_running_event_still_finishes_the_job_at_its_own_time()
    {
        var running = Apply(NewJob(), Update("u3", 30, JobStatus.Running, message: "still going")).Job;

        var job = Apply(running, Update("u2", 20, JobStatus.Succeeded)).Job;

        // Replayed in time order: succeeded at 20 s is terminal, so the running event at 30 s loses.
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(T0.AddSeconds(20), job.StopTime);
        Assert.Null(job.Message);
        Assert.Equal(EventOutcome.Superseded, job.Events.Single(e => e.Id == "u3").Outcome);
    }

    [Fact]
    public void Outputs_merge_by_key_even_after_the_job_finished()
    {
        var job = Apply(
            NewJob(),
            Update("u1", 10, JobStatus.Succeeded, outputs: Outputs(("a", "s3://b/a1"))),
            Update("u2", 20, outputs: Outputs(("b", "s3://b/b"))),
            Update("u3", 30, outputs: Outputs(("a", "s3://b/a2")))).Job;

        Assert.Equal("s3://b/a2", job.Outputs["a"].GetString());
        Assert.Equal("s3://b/b", job.Outputs["b"].GetString());
        Assert.Equal(JobStatus.Succeeded, job.Status);
    }

    [Fact]
    public void Labels_are_added_and_removed_as_sets()
    {
        var job = Apply(
            NewJob(labels: ["campaign-3", "test"]),
            Update("u1", 10, labels: new LabelChanges(["reprocessing-3", "campaign-3"], ["test"])),
            Update("u2", 20, labels: new LabelChanges(null, ["missing"]))).Job;

        Assert.Equal(["campaign-3", "reprocessing-3"], job.Labels);
    }

    [Fact]
    public void Same_update_id_twice_is_applied_once()
    {
        var once = Apply(NewJob(), Update("u1", 10, JobStatus.Running)).Job;

        var result = Apply(once, Update("u1", 10, JobStatus.Running), Update("u2", 11, progress: 5), Update("u2", 11, progress: 5));

        Assert.Equal(
            [UpdateOutcomeKind.Duplicate, UpdateOutcomeKind.Applied, UpdateOutcomeKind.Duplicate],
            result.Results.Select(r => r.Outcome));
        Assert.Equal(3, result.Job.Events.Count);
    }

    [Fact]
    public void Batch_of_only_duplicates_reports_no_change()
    {
        var once = Apply(NewJob(), Update("u1", 10, JobStatus.Running)).Job;

        var result = Apply(once, Update("u1", 10, JobStatus.Running));

        Assert.False(result.Changed);
        Assert.Same(once, result.Job);
    }

    [Fact]
    public void Wrong_token_is_rejected_and_recorded_but_not_merged()
    {
        var result = Apply(NewJob(), Update("u1", 10, JobStatus.Running, token: "not-the-token"));

        Assert.Equal(UpdateOutcomeKind.Rejected, result.Results[0].Outcome);
        Assert.Equal(JobStatus.Submitted, result.Job.Status);
        var recorded = result.Job.Events.Single(e => e.Id == "u1");
        Assert.Equal(EventOutcome.Rejected, recorded.Outcome);
        Assert.Contains("token", recorded.Reason);
    }

    [Fact]
    public void A_rejected_update_id_can_later_be_applied_with_the_right_token()
    {
        var rejected = Apply(NewJob(), Update("u1", 10, JobStatus.Running, token: "wrong")).Job;

        var result = Apply(rejected, Update("u1", 10, JobStatus.Running));

        Assert.Equal(UpdateOutcomeKind.Applied, result.Results[0].Outcome);
        Assert.Equal(JobStatus.Running, result.Job.Status);
        Assert.Single(result.Job.Events, e => e.Id == "u1");
    }

    [Fact]
    public void Trusted_update_needs_no_token()
    {
        var update = Update("u1", 10, JobStatus.Dismissed, token: null) with { Trusted = true };

        var result = Apply(NewJob(), update);

        Assert.Equal(JobStatus.Dismissed, result.Job.Status);
    }

    [Fact]
    public void Rejected_events_are_capped_keeping_the_newest()
    {
        var updates = Enumerable.Range(0, JobMerger.MaxRejectedEvents + 5)
            .Select(i => Update($"bad-{i:D3}", i, token: "wrong"))
            .ToArray();

        var job = Apply(NewJob(), updates).Job;

        var rejected = job.Events.Where(e => e.Outcome == EventOutcome.Rejected).ToList();
        Assert.Equal(JobMerger.MaxRejectedEvents, rejected.Count);
        Assert.DoesNotContain(rejected, e => e.Id == "bad-000");
    }

    [Fact]
    public void Update_for_another_job_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Apply(NewJob(), Update("u1", 10, jobId: "other")));
    }

    [Fact]
    public void Error_message_and_stage_come_from_the_terminal_event()
    {
        var job = Apply(
            NewJob(),
            Update("u1", 10, JobStatus.Running, stage: "l1b"),
            Update("u2", 20, JobStatus.Failed, error: new JobError("workflow-failed", "step l1b exited 2"), message: "failed")).Job;

        Assert.Equal("workflow-failed", job.Error!.Type);
        Assert.Equal("failed", job.Message);
        Assert.Equal("l1b", job.Stage);
    }
}
