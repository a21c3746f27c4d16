using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Elasticsearch.Dtos;

/// <summary>
/// <c>POST /_bulk</c>: HTTP 200 even when items fail; <c>items</c> follow the request's order,
/// each keyed by its action (<c>index</c>, <c>create</c>, <c>delete</c>, <c>update</c>).
/// </summary>
internal sealed record BulkResponse(
    [property: JsonPropertyName("took")] long Took,
    [property: JsonPropertyName("errors")] bool Errors,
    [property: JsonPropertyName("items")] IReadOnlyList<Dictionary<string, BulkItemResult>> Items);

internal sealed record BulkItemResult(
    [property: JsonPropertyName("_index")] string? Index,
    [property: JsonPropertyName("_id")] string? Id,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("result")] string? Result,
    [property: JsonPropertyName("_seq_no")] long? SeqNo,
    [property: JsonPropertyName("_primary_term")] long? PrimaryTerm,
    [property: JsonPropertyName("error")] JsonElement? Error)
{
    [JsonIgnore]
    public bool Succeeded => Status is >= 200 and < 300;
}
