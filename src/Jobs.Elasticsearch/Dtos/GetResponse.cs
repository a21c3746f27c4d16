using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Elasticsearch.Dtos;

/// <summary>
/// <c>GET /{index}/_doc/{id}</c>, and one entry of <c>_mget</c>'s <c>docs</c> (which may carry an
/// <c>error</c> instead). <c>_seq_no</c>/<c>_primary_term</c> are what a conditional write sends back.
/// </summary>
internal sealed record GetResponse(
    [property: JsonPropertyName("_index")] string? Index,
    [property: JsonPropertyName("_id")] string? Id,
    [property: JsonPropertyName("found")] bool Found,
    [property: JsonPropertyName("_seq_no")] long? SeqNo,
    [property: JsonPropertyName("_primary_term")] long? PrimaryTerm,
    [property: JsonPropertyName("_source")] JsonElement? Source,
    [property: JsonPropertyName("error")] JsonElement? Error);

/// <summary><c>POST /{index}/_mget</c>: <c>docs</c> in the order of the requested ids.</summary>
internal sealed record MultiGetResponse(
    [property: JsonPropertyName("docs")] IReadOnlyList<GetResponse> Docs);

/// <summary><c>POST /{index}/_mget</c> request body.</summary>
internal sealed record MultiGetRequest(
    [property: JsonPropertyName("ids")] IReadOnlyList<string> Ids);
