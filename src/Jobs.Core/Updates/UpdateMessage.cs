using System.Text.Json;
using Jobs.Core.Jobs;

namespace Jobs.Core.Updates;

/// <summary>
/// The "Update Job" message, wire format version 1 (docs/architecture.md, "The update message"). Workers publish it
/// (SNS -> SQS -> consumer, or <c>POST /jobs/{id}/updates</c>); the merge rule applies it.
/// Parse it with <see cref="UpdateMessageReader"/>, which validates it.
/// </summary>
public sealed record UpdateMessage
{
    public const int CurrentVersion = 1;

    /// <summary>The largest message accepted, in bytes: the SNS/SQS limit.</summary>
    public const int MaxBytes = 256 * 1024;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Unique per update; the idempotency key.</summary>
    public required string Id { get; init; }

    public required string JobId { get; init; }

    /// <summary>The job's update token (null only for trusted sources such as legacy messages).</summary>
    public string? Token { get; init; }

    /// <summary>Event time; the merge orders updates by it.</summary>
    public required DateTimeOffset Time { get; init; }

    public JobStatus? Status { get; init; }

    public string? Stage { get; init; }

    public int? Progress { get; init; }

    public string? Message { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? Outputs { get; init; }

    public LabelChanges? Labels { get; init; }

    public JobError? Error { get; init; }
}
