using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;
using static Jobs.Core.Tests.TestJobs;

namespace Jobs.Core.Tests.Merging;

/// <summary>
/// The merge rule (docs/architecture.md, "The merge rule"): any permutation of the same set of updates, with any duplicates and
/// split into any batches, yields the same document.
/// </summary>
public class MergePropertyTests
{
    private static readonly string[] LabelPool = ["a", "b", "c", "d"];
    private static readonly string[] OutputPool = ["out", "log", "qa"];

    /// <summary>Updates over a few seconds so times often tie and the tie-breaks matter.</summary>
    private static Gen<JobUpdate> UpdateGen(int index) =>
        from seconds in Gen.Choose(0, 6)
        from status in Gen.Elements<JobStatus?>(null, null, JobStatus.Submitted, JobStatus.Running, JobStatus.Running, JobStatus.Succeeded, JobStatus.Failed, JobStatus.Dismissed)
        from stage in Gen.Elements<string?>(null, "stage-in", "process", "stage-out")
        from progress in Gen.Elements<int?>(null, 0, 10, 50, 100)
        from message in Gen.Elements<string?>(null, "copying", "working")
        from outputKey in Gen.Elements<string?>(null, null, OutputPool[0], OutputPool[1], OutputPool[2])
        from outputValue in Gen.Choose(0, 3)
        from add in Gen.Elements<string?>(null, LabelPool[0], LabelPool[1], LabelPool[2])
        from remove in Gen.Elements<string?>(null, null, LabelPool[0], LabelPool[3])
        from badToken in Gen.Elements(false, false, false, false, true)
        select Update(
            $"u{index:D2}",
            seconds,
            status,
            token: badToken ? "wrong" : Token,
            stage: stage,
            progress: progress,
            message: message,
            outputs: outputKey is null ? null : Outputs((outputKey, $"s3://bucket/{outputKey}/{outputValue}")),
            labels: add is null && remove is null ? null : new LabelChanges(add is null ? null : [add], remove is null ? null : [remove]),
            error: status == JobStatus.Failed ? new JobError("workflow-failed", $"exit {outputValue}") : null);

    private static Gen<List<JobUpdate>> UpdatesGen =>
        from count in Gen.Choose(1, 12)
        from updates in Enumerable.Range(0, count).Aggregate(
            Gen.Constant(new List<JobUpdate>()),
            (listGen, index) => from list in listGen from update in UpdateGen(index) select (List<JobUpdate>)[.. list, update])
        select updates;

    private static Arbitrary<(List<JobUpdate> Updates, int Seed)> Scenario =>
        (from updates in UpdatesGen
         from seed in Gen.Choose(0, int.MaxValue)
         select (updates, seed)).ToArbitrary();

    [Property(MaxTest = 500)]
    public Property Any_order_duplication_and_batching_gives_the_same_document() =>
        Prop.ForAll(Scenario, scenario =>
        {
            var inOrder = JobMerger.Apply(NewJob(labels: ["a"]), scenario.Updates, T0).Job;

            var random = new Random(scenario.Seed);
            var delivered = scenario.Updates
                .Concat(scenario.Updates.Where(_ => random.Next(3) == 0)) // at-least-once: some twice
                .OrderBy(_ => random.Next())
                .ToList();
            var job = NewJob(labels: ["a"]);
            for (var i = 0; i < delivered.Count;)
            {
                var size = random.Next(1, 4);
                job = JobMerger.Apply(job, delivered.Skip(i).Take(size).ToList(), T0.AddMinutes(i)).Job;
                i += size;
            }

            return Canonical(job) == Canonical(inOrder);
        });

    [Property(MaxTest = 300)]
    public Property Status_of_the_result_never_ranks_below_any_applied_status() =>
        Prop.ForAll(Scenario, scenario =>
        {
            var job = JobMerger.Apply(NewJob(), scenario.Updates, T0).Job;
            var applied = job.Events.Where(e => e.Outcome == EventOutcome.Applied && e.Status is not null).ToList();
            return applied.All(e => e.Status!.Value.Rank() <= job.Status.Rank());
        });

    [Property(MaxTest = 300)]
    public Property A_terminal_job_stops_at_its_earliest_terminal_event() =>
        Prop.ForAll(Scenario, scenario =>
        {
            var job = JobMerger.Apply(NewJob(), scenario.Updates, T0).Job;
            var terminal = scenario.Updates
                .Where(u => u.Message.Token == Token && u.Message.Status is { } s && s.IsTerminal())
                .Select(u => u.Message.Time)
                .ToList();
            return terminal.Count == 0
                ? !job.Status.IsTerminal() && job.StopTime is null
                : job.Status.IsTerminal() && job.StopTime == terminal.Min();
        });
}
