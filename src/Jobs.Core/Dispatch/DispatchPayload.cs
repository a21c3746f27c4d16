using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.Core.Dispatch;

/// <summary>
/// The JSON a remote backend receives (a webhook's body, an SNS message): everything needed to
/// start the job and to report on it, and nothing of the store's bookkeeping. docs/dispatch.md
/// shows an example.
/// </summary>
public static class DispatchPayload
{
    public const string Type = "dispatch";

    /// <param name="request">The job, its token and its process.</param>
    /// <param name="apiUrl">Where the workflow's Update Job steps send their updates (null: not known).</param>
    /// <param name="time">When it is sent.</param>
    public static JsonObject Create(DispatchRequest request, string? apiUrl, DateTimeOffset time)
    {
        var job = request.Job;
        return new JsonObject
        {
            ["type"] = Type,
            ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["jobID"] = job.Id,
            ["processID"] = job.ProcessId,
            ["processVersion"] = job.ProcessVersion,
            ["userID"] = job.UserId,
            ["created"] = job.Created.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["apiUrl"] = apiUrl,
            ["updateToken"] = request.UpdateToken,
            ["inputs"] = ToObject(job.Inputs),
            ["labels"] = new JsonArray([.. job.Labels.Select(l => (JsonNode)JsonValue.Create(l))]),
            ["request"] = ToNode(job.Request),
            ["executionUnit"] = ToNode(request.Process.ExecutionUnit),
        };
    }

    private static JsonObject ToObject(IReadOnlyDictionary<string, JsonElement> values)
    {
        var result = new JsonObject();
        foreach (var (key, value) in values)
        {
            result[key] = ToNode(value);
        }

        return result;
    }

    private static JsonNode? ToNode(JsonElement? element) =>
        element is { } e && e.ValueKind is not JsonValueKind.Undefined ? JsonNode.Parse(e.GetRawText()) : null;
}
