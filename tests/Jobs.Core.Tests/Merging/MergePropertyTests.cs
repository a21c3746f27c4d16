using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;
using static Jobs.Core.Tests.TestJobs;

namespace Jobs.Core.Tests.Merging;

/// <summary>
/// The merge rule (docs/architecture.md, "The merge rule"): any permutation of the same set of
/// updates, with any duplicates and split into any batches, yields the same document — through a
/// store, with the events outside the document, exactly as replaying every event would.
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

    private static readonly DateTimeOffset Received = T0.AddHours(1);

    [Property(MaxTest = 500)]
    public Property Any_order_duplication_and_batching_gives_the_same_document() =>
        Prop.ForAll(Scenario, scenario =>
        {
            var inOrder = new MemoryMergeStore(NewJob(labels: ["a"]));
            inOrder.Apply(Received, [.. scenario.Updates]);

            var random = new Random(scenario.Seed);
            var delivered = scenario.Updates
                .Concat(scenario.Updates.Where(_ => random.Next(3) == 0)) // at-least-once: some twice
                .OrderBy(_ => random.Next())
                .ToList();
            var store = new MemoryMergeStore(NewJob(labels: ["a"]));
            for (var i = 0; i < delivered.Count;)
            {
                var size = random.Next(1, 4);
                store.Apply(Received.AddMinutes(i), [.. delivered.Skip(i).Take(size)]);
                i += size;
            }

            return Canonical(store.Job) == Canonical(inOrder.Job);
        });

    [Property(MaxTest = 300)]
    public Property Folding_onto_the_document_equals_replaying_every_event() =>
        Prop.ForAll(Scenario, scenario =>
        {
            var random = new Random(scenario.Seed);
            var store = new MemoryMergeStore(NewJob(labels: ["a"]));
            foreach (var update in scenario.Updates.OrderBy(_ => random.Next()))
            {
                store.Apply(Received, update);
            }

            var (replayed, events) = JobMerger.Replay(store.Job, store.History);
            var stored = store.History.Where(e => e.IsMerged).OrderBy(e => e, EventOrder.Instance).ToList();
            return Canonical(replayed with { Merge = store.Job.Merge }) == Canonical(store.Job)
                && events.Select(e => (e.Id, e.Outcome, e.Reason)).SequenceEqual(stored.Select(e => (e.Id, e.Outcome, e.Reason)));
        });

    [Property(MaxTest = 300)]
    public Property Status_of_the_result_never_ranks_below_any_applied_status() =>
        Prop.ForAll(Scenario, scenario =>
        {
            var store = new MemoryMergeStore(NewJob());
            store.Apply(Received, [.. scenario.Updates]);
            var applied = store.History.Where(e => e.Outcome == EventOutcome.Applied && e.Status is not null).ToList();
            return applied.All(e => e.Status!.Value.Rank() <= store.Job.Status.Rank());
        });

    [Property(MaxTest = 300)]
    public Property A_terminal_job_stops_at_its_earliest_terminal_event() =>
        Prop.ForAll(Scenario, scenario =>
        {
            var random = new Random(scenario.Seed);
            var store = new MemoryMergeStore(NewJob());
            foreach (var update in scenario.Updates.OrderBy(_ => random.Next()))
            {
                store.Apply(Received, update);
            }

            var job = store.Job;
            var terminal = scenario.Updates
                .Where(u => u.Message.Token == Token && u.Message.Status is { } s && s.IsTerminal())
                .Select(u => u.Message.Time)
                .ToList();
            return terminal.Count == 0
                ? !job.Status.IsTerminal() && job.StopTime is null
                : job.Status.IsTerminal() && job.StopTime == terminal.Min();
        });
}
