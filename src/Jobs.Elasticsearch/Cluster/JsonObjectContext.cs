using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Jobs.Elasticsearch.Cluster;

/// <summary>Compact serialization of request bodies held as JSON nodes.</summary>
[JsonSourceGenerationOptions(MaxDepth = Jobs.Core.Json.JobsJson.MaxDepth)]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonObjectContext : JsonSerializerContext;
