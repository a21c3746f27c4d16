using System.Text.Json.Serialization;

namespace Jobs.Elasticsearch.Dtos;

/// <summary>Source-generated (de)serialization of the wire DTOs.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = Jobs.Core.Json.JobsJson.MaxDepth)]
[JsonSerializable(typeof(InfoResponse))]
[JsonSerializable(typeof(GetResponse))]
[JsonSerializable(typeof(MultiGetRequest))]
[JsonSerializable(typeof(MultiGetResponse))]
[JsonSerializable(typeof(BulkResponse))]
[JsonSerializable(typeof(SearchHitsResponse))]
[JsonSerializable(typeof(SearchIdsResponse))]
[JsonSerializable(typeof(CountResponse))]
[JsonSerializable(typeof(DeleteByQueryResponse))]
[JsonSerializable(typeof(WriteResponse))]
internal sealed partial class EsJsonContext : JsonSerializerContext;
