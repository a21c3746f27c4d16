using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Json;

namespace Jobs.Core.Notifications;

/// <summary>
/// An <see cref="OutboxEvent"/> as a queue message carries it:
/// <c>{"id", "sequence", "type", "jobId", "time", "job": {job document}}</c>. The job is
/// <see cref="Lean"/>: without what no subscriber is sent (inputs, the original request, the
/// token's hash, the idempotency record, the merge state), so a message stays small whatever the job's inputs.
/// </summary>
public static class OutboxEventJson
{
    public static string ToJson(OutboxEvent e) => new JsonObject
    {
        ["id"] = e.Id,
        ["sequence"] = e.Sequence,
        ["type"] = e.Type,
        ["jobId"] = e.JobId,
        ["time"] = UtcTimestampJsonConverter.ToText(e.Time),
        ["job"] = JsonSerializer.SerializeToNode(Lean(e.Job), JobsJsonContext.Default.JobDocument),
    }.ToJsonString();

    /// <summary>Reads a message back; throws <see cref="JsonException"/> for anything that is not one.</summary>
    public static OutboxEvent Parse(string json)
    {
        try
        {
            var node = JsonNode.Parse(json, documentOptions: JobsJson.DocumentOptions) as JsonObject ?? throw new JsonException("not a JSON object");
            var time = node["time"]?.GetValue<string>();
            if (!UtcTimestampJsonConverter.TryParse(time, out var at))
            {
                throw new JsonException("no valid time");
            }

            return new OutboxEvent(
                node["sequence"]?.GetValue<long>() ?? throw new JsonException("no sequence"),
                node["type"]?.GetValue<string>() ?? throw new JsonException("no type"),
                node["jobId"]?.GetValue<string>() ?? throw new JsonException("no jobId"),
                at,
                JobsJson.ParseJob(node["job"] ?? throw new JsonException("no job")))
            {
                Id = node["id"]?.GetValue<string>() ?? throw new JsonException("no id"),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new JsonException($"not an event message: {e.Message}", e);
        }
    }

    /// <summary>The job as events carry it: what statusInfo, results, filters and URL templates need.</summary>
    public static Jobs.JobDocument Lean(Jobs.JobDocument job) =>
        job with { Inputs = NoInputs, Request = null, TokenSha256 = null, Idempotency = null, Merge = null, LegacyEvents = null };

    private static readonly IReadOnlyDictionary<string, JsonElement> NoInputs = new Dictionary<string, JsonElement>();
}
