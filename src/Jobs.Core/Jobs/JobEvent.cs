using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Core.Jobs;

/// <summary>What the merge made of an event.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventOutcome>))]
public enum EventOutcome
{
    /// <summary>At least part of the event took effect.</summary>
    [JsonStringEnumMemberName("applied")]
    Applied,

    /// <summary>
    /// Kept in the history but changed nothing: its status or fields lost to a newer event or a
    /// terminal status (the rank rule).
    /// </summary>
    [JsonStringEnumMemberName("superseded")]
    Superseded,

    /// <summary>Refused (for example a wrong update token); never merged.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>
    /// Written by the merge, not sent by anyone: a late event with an earlier time changed the
    /// job's terminal status or stop time (the earliest terminal event decides). Never merged.
    /// </summary>
    [JsonStringEnumMemberName("corrected")]
    Corrected,
}

/// <summary>
/// One entry of a job's history: its creation, an applied update message, or a rejected one.
/// The <see cref="Id"/> is the update id, the de-duplication key.
/// </summary>
public sealed record JobEvent
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>When it happened, as the sender says (the merge orders by this).</summary>
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    /// <summary>When the store received it (not part of the merge).</summary>
    [JsonPropertyName("received")]
    public DateTimeOffset? Received { get; init; }

    /// <summary>Where it came from: <c>execute</c>, <c>api</c>, <c>dismiss</c>, <c>sqs</c>, <c>legacy</c>, …</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }

    [JsonPropertyName("status")]
    public JobStatus? Status { get; init; }

    [JsonPropertyName("stage")]
    public string? Stage { get; init; }

    [JsonPropertyName("progress")]
    public int? Progress { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("outputs")]
    public IReadOnlyDictionary<string, JsonElement>? Outputs { get; init; }

    [JsonPropertyName("labels")]
    public LabelChanges? Labels { get; init; }

    [JsonPropertyName("error")]
    public JobError? Error { get; init; }

    [JsonPropertyName("outcome")]
    public EventOutcome Outcome { get; init; } = EventOutcome.Applied;

    /// <summary>Why the event was rejected or superseded.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>True for the synthetic event recording the job's creation.</summary>
    [JsonIgnore]
    public bool IsCreation => Source == EventSources.Execute;

    /// <summary>Whether the merge folds this event into the job (not rejected, not a correction).</summary>
    [JsonIgnore]
    public bool IsMerged => Outcome is EventOutcome.Applied or EventOutcome.Superseded;

    [JsonIgnore]
    internal bool HasScalars => Stage is not null || Progress is not null || Message is not null || Error is not null;
}

/// <summary>Labels to add to and remove from a job, applied as sets.</summary>
public sealed record LabelChanges(
    [property: JsonPropertyName("add")] IReadOnlyList<string>? Add,
    [property: JsonPropertyName("remove")] IReadOnlyList<string>? Remove)
{
    [JsonIgnore]
    public bool IsEmpty => (Add is null || Add.Count == 0) && (Remove is null || Remove.Count == 0);
}

/// <summary>Well-known values of <see cref="JobEvent.Source"/>.</summary>
public static class EventSources
{
    public const string Execute = "execute";
    public const string Api = "api";
    public const string Dismiss = "dismiss";
    public const string Queue = "queue";
    public const string Legacy = "legacy";

    /// <summary>The dispatcher: its dispatch marker and the local runner's reports.</summary>
    public const string Dispatch = "dispatch";

    /// <summary>
    /// The stalled-job detector: with no status, the event marks a running job stalled
    /// (<see cref="JobDocument.StalledSince"/>) without counting as an update; with
    /// <c>failed</c>, it fails the job (<c>Jobs:Stalled:FailAfter</c>).
    /// </summary>
    public const string Stalled = "stalled";

    /// <summary>The merge itself (a corrected terminal status).</summary>
    public const string Merge = "merge";
}
