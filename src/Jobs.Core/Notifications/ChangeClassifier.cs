using System.Text.Json;
using Jobs.Core.Jobs;

namespace Jobs.Core.Notifications;

/// <summary>
/// Names what a store write did to a job, from the job before and after it: the type of its
/// <see cref="OutboxEvent"/>, or null when nothing a subscriber could see changed (only rejected
/// updates were recorded, for example). Pure, so every store names changes alike.
/// </summary>
public static class ChangeClassifier
{
    public static string? Classify(JobDocument? before, JobDocument after, IReadOnlyList<JobEvent> events)
    {
        if (before is null)
        {
            return JobEventTypes.Created;
        }

        if (events.Any(e => e.Outcome == EventOutcome.Corrected))
        {
            return JobEventTypes.Corrected;
        }

        if (after.Status != before.Status)
        {
            return after.Status == JobStatus.Dismissed ? JobEventTypes.Dismissed : JobEventTypes.Status;
        }

        if (after.StalledSince is not null && before.StalledSince is null)
        {
            return JobEventTypes.Stalled;
        }

        if (after.Stage != before.Stage || after.Progress != before.Progress || after.Message != before.Message || after.Error != before.Error)
        {
            return JobEventTypes.Progress;
        }

        if (!SameOutputs(before.Outputs, after.Outputs))
        {
            return JobEventTypes.Outputs;
        }

        return before.Labels.SequenceEqual(after.Labels, StringComparer.Ordinal) ? null : JobEventTypes.Labels;
    }

    private static bool SameOutputs(IReadOnlyDictionary<string, JsonElement> a, IReadOnlyDictionary<string, JsonElement> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && JsonElement.DeepEquals(kv.Value, other));
}
