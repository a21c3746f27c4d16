using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Jobs.Elasticsearch.Cluster;

/// <summary>Compact serialization of request bodies held as JSON nodes.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonObjectContext : JsonSerializerContext;
