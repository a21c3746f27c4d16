using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Elasticsearch.Dtos;

/// <summary>The part of a <c>_search</c> response the adapter reads itself (the process registry).</summary>
internal sealed record SearchHitsResponse(
    [property: JsonPropertyName("hits")] SearchHits Hits);

internal sealed record SearchHits(
    [property: JsonPropertyName("hits")] IReadOnlyList<SearchHit> Hits);

internal sealed record SearchHit(
    [property: JsonPropertyName("_id")] string Id,
    [property: JsonPropertyName("_source")] JsonElement Source,
    [property: JsonPropertyName("sort")] JsonElement? Sort);

/// <summary>A <c>_search</c> with <c>"_source": false</c>: the ids of the hits.</summary>
internal sealed record SearchIdsResponse(
    [property: JsonPropertyName("hits")] SearchIdHits Hits);

internal sealed record SearchIdHits(
    [property: JsonPropertyName("hits")] IReadOnlyList<SearchIdHit> Hits);

internal sealed record SearchIdHit(
    [property: JsonPropertyName("_id")] string Id);

/// <summary><c>_count</c>.</summary>
internal sealed record CountResponse(
    [property: JsonPropertyName("count")] long Count);

/// <summary><c>_delete_by_query</c>.</summary>
internal sealed record DeleteByQueryResponse(
    [property: JsonPropertyName("deleted")] int Deleted);

/// <summary><c>DELETE /{index}/_doc/{id}</c> (and the other single-document writes).</summary>
internal sealed record WriteResponse(
    [property: JsonPropertyName("_index")] string? Index,
    [property: JsonPropertyName("_id")] string? Id,
    [property: JsonPropertyName("result")] string? Result);
