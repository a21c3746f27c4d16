using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Jobs;
using Jobs.Core.Processes;

namespace Jobs.Core.Json;

/// <summary>
/// The one JSON shape of the job document, its events and process definitions, shared by every
/// store adapter and host: index field names, statuses as index values, UTC timestamps, nulls
/// left out.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(JobStatusJsonConverter), typeof(UtcTimestampJsonConverter)])]
[JsonSerializable(typeof(JobDocument))]
[JsonSerializable(typeof(JobEvent))]
[JsonSerializable(typeof(List<JobEvent>))]
[JsonSerializable(typeof(ProcessDefinition))]
public sealed partial class JobsJsonContext : JsonSerializerContext;

/// <summary>Serialize and parse the stored shapes.</summary>
public static class JobsJson
{
    public static JsonSerializerOptions Options => JobsJsonContext.Default.Options;

    public static byte[] ToUtf8(JobDocument job) => JsonSerializer.SerializeToUtf8Bytes(job, JobsJsonContext.Default.JobDocument);

    public static JsonElement ToElement(JobDocument job) => JsonSerializer.SerializeToElement(job, JobsJsonContext.Default.JobDocument);

    public static JobDocument ParseJob(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, JobsJsonContext.Default.JobDocument) ?? throw new JsonException("A stored job is null.");

    public static JobDocument ParseJob(JsonElement element) =>
        element.Deserialize(JobsJsonContext.Default.JobDocument) ?? throw new JsonException("A stored job is null.");

    public static byte[] ToUtf8(ProcessDefinition process) =>
        JsonSerializer.SerializeToUtf8Bytes(process, JobsJsonContext.Default.ProcessDefinition);

    public static ProcessDefinition ParseProcess(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, JobsJsonContext.Default.ProcessDefinition) ?? throw new JsonException("A stored process is null.");
}
