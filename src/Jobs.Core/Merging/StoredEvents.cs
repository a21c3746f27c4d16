using Jobs.Core.Jobs;

namespace Jobs.Core.Merging;

/// <summary>
/// How every store keys a job's events in its events index: a document id per (job, kind,
/// update id), so an update's event, its rejection and a correction it caused never replace
/// each other, and a sort key that orders the history oldest first (<see cref="EventOrder"/>).
/// </summary>
public static class StoredEvents
{
    /// <summary><c>{job id}/e/{update id}</c> for merged events, <c>/r/</c> for rejected ones, <c>/c/</c> for corrections (job ids hold no slash).</summary>
    public static string DocumentId(string jobId, JobEvent e) => $"{jobId}/{KindOf(e)}/{e.Id}";

    /// <summary>The document id a merged event with this update id has: the de-duplication lookup.</summary>
    public static string MergedId(string jobId, string updateId) => $"{jobId}/e/{updateId}";

    /// <summary>The history's sort key: the replay order, then the kind (so keys are unique per job).</summary>
    public static string SortKey(JobEvent e) => $"{EventOrder.Key(e)}\0{KindOf(e)}";

    private static char KindOf(JobEvent e) => e.Outcome switch
    {
        EventOutcome.Rejected => 'r',
        EventOutcome.Corrected => 'c',
        _ => 'e',
    };
}
