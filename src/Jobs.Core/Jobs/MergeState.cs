using System.Text.Json.Serialization;

namespace Jobs.Core.Jobs;

/// <summary>
/// What the merge needs to know about a job's events without reading them: where the newest
/// folded event sits in the replay order, and how many rejected updates were recorded. Its size
/// does not depend on the number of updates, so neither does the document's (no counter of
/// events or writes is kept for that reason: a store's own version numbers guard its writes). The events themselves live in the store's events index (<c>job-events</c>).
/// </summary>
public sealed record MergeState
{
    /// <summary>
    /// The replay-order key (<see cref="Merging.EventOrder.Key"/>) of the last event folded into
    /// the derived fields. An update that sorts after it is folded onto the document as it is; one
    /// that sorts before it makes the merge replay the job's events.
    /// </summary>
    [JsonPropertyName("last-key")]
    public required string LastKey { get; init; }

    /// <summary>How many rejected updates were recorded in the history (at most <see cref="Merging.JobMerger.MaxRejectedEvents"/>).</summary>
    [JsonPropertyName("rejected")]
    public int Rejected { get; init; }

    /// <summary>Rejected updates answered but not recorded, once <see cref="Rejected"/> reached its cap.</summary>
    [JsonPropertyName("rejected-unrecorded")]
    public long RejectedUnrecorded { get; init; }

    /// <summary>Where the job's creation came from (<see cref="EventSources"/>), to rebuild the creation event.</summary>
    [JsonPropertyName("created-by")]
    public string? CreatedBy { get; init; }
}
