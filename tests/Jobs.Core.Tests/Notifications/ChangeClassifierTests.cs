using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Notifications;
using Jobs.Core.Updates;
using static Jobs.Core.Tests.TestJobs;

namespace Jobs.Core.Tests.Notifications;

public class ChangeClassifierTests
{
    private static readonly HashSet<string> NoneKnown = [];

    private static (JobDocument Before, JobMerger.MergeResult Merge) Apply(JobDocument job, params JobUpdate[] updates) =>
        (job, JobMerger.Apply(job, updates, T0, NoneKnown));

    private static string? TypeOf(JobDocument job, params JobUpdate[] updates)
    {
        var (before, merge) = Apply(job, updates);
        return ChangeClassifier.Classify(before, merge.Job, merge.Events);
    }

    private static JobDocument Running() => JobMerger.Apply(NewJob(), [Update("r", 1, JobStatus.Running)], T0, NoneKnown).Job;

    [Fact]
    public void A_new_job_is_created() => Assert.Equal(JobEventTypes.Created, ChangeClassifier.Classify(null, NewJob(), []));

    [Fact]
    public void A_status_change_is_status() => Assert.Equal(JobEventTypes.Status, TypeOf(NewJob(), Update("u", 1, JobStatus.Running, progress: 5)));

    [Fact]
    public void Progress_stage_or_message_alone_is_progress() => Assert.Equal(JobEventTypes.Progress, TypeOf(Running(), Update("u", 2, stage: "stage-out")));

    [Fact]
    public void Outputs_alone_are_outputs() => Assert.Equal(JobEventTypes.Outputs, TypeOf(Running(), Update("u", 2, outputs: Outputs(("o", "s3://b/o")))));

    [Fact]
    public void Labels_alone_are_labels() => Assert.Equal(JobEventTypes.Labels, TypeOf(Running(), Update("u", 2, labels: new LabelChanges(["x"], null))));

    [Fact]
    public void A_superseded_update_changes_nothing_visible()
    {
        var done = JobMerger.Apply(NewJob(), [Update("d", 5, JobStatus.Succeeded)], T0, NoneKnown).Job;
        Assert.Null(TypeOf(done, Update("late", 9, JobStatus.Running, progress: 3)));
    }

    [Fact]
    public void A_dismissal_is_dismissed() => Assert.Equal(JobEventTypes.Dismissed, TypeOf(Running(), Update("d", 2, JobStatus.Dismissed)));

    [Fact]
    public void A_stalled_marker_is_stalled_keeps_updated_and_the_next_update_clears_it()
    {
        var running = Running();
        var marker = Update("stalled-1", 3600) with { Source = EventSources.Stalled, Trusted = true };
        var (_, merge) = Apply(running, marker);

        Assert.Equal(JobEventTypes.Stalled, ChangeClassifier.Classify(running, merge.Job, merge.Events));
        Assert.Equal(T0.AddSeconds(3600), merge.Job.StalledSince);
        Assert.Equal(running.Updated, merge.Job.Updated);

        var resumed = JobMerger.Apply(merge.Job, [Update("p", 3700, progress: 50)], T0, NoneKnown).Job;
        Assert.Null(resumed.StalledSince);
    }

    [Fact]
    public void A_stalled_marker_on_a_job_that_is_not_running_is_superseded()
    {
        var marker = Update("stalled-1", 3600) with { Source = EventSources.Stalled, Trusted = true };
        var (before, merge) = Apply(NewJob(), marker);

        Assert.Null(merge.Job.StalledSince);
        Assert.Null(ChangeClassifier.Classify(before, merge.Job, merge.Events));
        Assert.Equal(UpdateOutcomeKind.Superseded, merge.Results[0].Outcome);
    }
}
