using System.Text.Json.Serialization;

namespace Jobs.Core.Jobs;

/// <summary>Why a job failed: a short machine-readable type and a human-readable message.</summary>
public sealed record JobError(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message")] string Message);
