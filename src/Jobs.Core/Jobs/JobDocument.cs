using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Core.Jobs;

/// <summary>
/// A job as stored in the <c>jobs</c> index (docs/architecture.md, "The job document"). Field names follow the seed
/// jobs database. The fields set at creation never change; the others are derived from the
/// job's events by <see cref="Merging.JobMerger"/>. The events are not part of the document: they
/// live in the store's events index, and <see cref="Merge"/> keeps what the merge needs of them.
/// </summary>
public sealed record JobDocument
{
    // --- set at creation, never changed ---

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("process-id")]
    public required string ProcessId { get; init; }

    [JsonPropertyName("process-version")]
    public string? ProcessVersion { get; init; }

    /// <summary>Input id -> value, as submitted (any JSON).</summary>
    [JsonPropertyName("inputs")]
    public IReadOnlyDictionary<string, JsonElement> Inputs { get; init; } = Empty;

    [JsonPropertyName("user-id")]
    public string? UserId { get; init; }

    [JsonPropertyName("created")]
    public required DateTimeOffset Created { get; init; }

    /// <summary>The execute request's settings (mode, response, outputs, subscriber); not indexed.</summary>
    [JsonPropertyName("request")]
    public JsonElement? Request { get; init; }

    /// <summary>Hex SHA-256 of the job's update token; the token itself is never stored.</summary>
    [JsonPropertyName("token-sha256")]
    public string? TokenSha256 { get; init; }

    /// <summary>Set when the job was created with an <c>Idempotency-Key</c> header; never returned.</summary>
    [JsonPropertyName("idempotency")]
    public IdempotencyRecord? Idempotency { get; init; }

    // --- derived from the events by the merge rule ---

    [JsonPropertyName("status")]
    public JobStatus Status { get; init; } = JobStatus.Submitted;

    [JsonPropertyName("stage")]
    public string? Stage { get; init; }

    [JsonPropertyName("progress")]
    public int? Progress { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>Output id -> URL (or list of URLs, or value).</summary>
    [JsonPropertyName("outputs")]
    public IReadOnlyDictionary<string, JsonElement> Outputs { get; init; } = Empty;

    [JsonPropertyName("labels")]
    public IReadOnlyList<string> Labels { get; init; } = [];

    [JsonPropertyName("updated")]
    public DateTimeOffset? Updated { get; init; }

    [JsonPropertyName("start-time")]
    public DateTimeOffset? StartTime { get; init; }

    [JsonPropertyName("stop-time")]
    public DateTimeOffset? StopTime { get; init; }

    /// <summary>Seconds from start-time to stop-time, once both are known.</summary>
    [JsonPropertyName("duration")]
    public double? Duration { get; init; }

    [JsonPropertyName("error")]
    public JobError? Error { get; init; }

    /// <summary>
    /// Set when the job, running, got no update for <c>Jobs:Stalled:After</c> (a <c>stalled</c>
    /// event's time); the job's next update clears it. Searchable: <c>exists: stalled-since</c>.
    /// </summary>
    [JsonPropertyName("stalled-since")]
    public DateTimeOffset? StalledSince { get; init; }

    /// <summary>Time of the newest update applied.</summary>
    [JsonPropertyName("last-event-time")]
    public DateTimeOffset? LastEventTime { get; init; }

    /// <summary>What the merge needs of the job's events (see <see cref="MergeState"/>); not indexed.</summary>
    [JsonPropertyName("merge")]
    public MergeState? Merge { get; init; }

    /// <summary>
    /// The history as documents written before events had their own index kept it (read only:
    /// the next merge moves these events to the events index and drops the field).
    /// </summary>
    [JsonPropertyName("events")]
    public IReadOnlyList<JobEvent>? LegacyEvents { get; init; }

    private static readonly IReadOnlyDictionary<string, JsonElement> Empty = new Dictionary<string, JsonElement>();
}
