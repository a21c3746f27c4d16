using System.Text.Json.Serialization;

namespace Jobs.Elasticsearch.Dtos;

/// <summary><c>GET /</c>: which engine and version answers.</summary>
internal sealed record InfoResponse(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("cluster_name")] string? ClusterName,
    [property: JsonPropertyName("version")] InfoVersion? Version,
    [property: JsonPropertyName("tagline")] string? Tagline);

internal sealed record InfoVersion(
    [property: JsonPropertyName("number")] string? Number,
    [property: JsonPropertyName("distribution")] string? Distribution,
    [property: JsonPropertyName("build_flavor")] string? BuildFlavor);
