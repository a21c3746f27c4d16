using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.Elasticsearch.Cluster;

/// <summary>
/// An Elasticsearch error: <c>{"error":{"root_cause":[…],"type":…,"reason":…},"status":…}</c>,
/// or in routing-layer edge cases <c>{"error":"…","status":…}</c>.
/// </summary>
internal sealed record ElasticsearchError(string Type, string Reason)
{
    /// <summary>The error of a response body, or null when the body is not an error.</summary>
    public static ElasticsearchError? FromBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                ? FromElement(error)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An <c>error</c> value: an object with type and reason (a bulk or mget item's), or a bare string.</summary>
    public static ElasticsearchError? FromElement(JsonElement? error) => error switch
    {
        { ValueKind: JsonValueKind.Object } e => new ElasticsearchError(
            Text(e, "type") ?? "exception",
            Text(e, "reason") ?? "(no reason given)"),
        { ValueKind: JsonValueKind.String } e => new ElasticsearchError("exception", e.GetString() ?? ""),
        _ => null,
    };

    /// <summary>The whole error body as a JSON object, when it is one.</summary>
    public static JsonObject? BodyObject(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => $"{Type}: {Reason}";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
