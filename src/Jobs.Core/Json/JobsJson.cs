using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Jobs;
using Jobs.Core.Processes;

namespace Jobs.Core.Json;

/// <summary>
/// The one JSON shape of the job document, its events and process definitions, used by every
/// store adapter and host: index field names, statuses as index values, UTC timestamps, nulls
/// left out.
/// </summary>
[JsonSourceGenerationOptions(
    MaxDepth = JobsJson.MaxDepth,
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
    /// <summary>
    /// Nesting depth allowed when reading or writing stored data and responses: Elasticsearch's own
    /// JSON nesting limit, far above what a request may carry (<see cref="Validation.StrictJson.MaxRequestDepth"/>).
    /// Whatever a store accepted must be readable, so a read never applies System.Text.Json's default of 64:
    /// a job's inputs sit a few levels down in a document, and the document a few more in a search response.
    /// </summary>
    public const int MaxDepth = 1000;

    /// <summary>Parse options for stored documents and responses.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Parses stored JSON (a <c>_source</c>, a response) with <see cref="MaxDepth"/>.</summary>
    public static System.Text.Json.Nodes.JsonNode? ParseNode(ReadOnlySpan<byte> utf8) =>
        System.Text.Json.Nodes.JsonNode.Parse(utf8, documentOptions: DocumentOptions);

    public static JsonSerializerOptions Options => JobsJsonContext.Default.Options;

    public static byte[] ToUtf8(JobDocument job) => JsonSerializer.SerializeToUtf8Bytes(job, JobsJsonContext.Default.JobDocument);

    public static JsonElement ToElement(JobDocument job) => JsonSerializer.SerializeToElement(job, JobsJsonContext.Default.JobDocument);

    public static JobDocument ParseJob(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, JobsJsonContext.Default.JobDocument) ?? throw new JsonException("A stored job is null.");

    public static JobDocument ParseJob(System.Text.Json.Nodes.JsonNode node) =>
        node.Deserialize(JobsJsonContext.Default.JobDocument) ?? throw new JsonException("A stored job is null.");

    public static JobDocument ParseJob(JsonElement element) =>
        element.Deserialize(JobsJsonContext.Default.JobDocument) ?? throw new JsonException("A stored job is null.");

    public static byte[] ToUtf8(ProcessDefinition process) =>
        JsonSerializer.SerializeToUtf8Bytes(process, JobsJsonContext.Default.ProcessDefinition);

    public static ProcessDefinition ParseProcess(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, JobsJsonContext.Default.ProcessDefinition) ?? throw new JsonException("A stored process is null.");
}
