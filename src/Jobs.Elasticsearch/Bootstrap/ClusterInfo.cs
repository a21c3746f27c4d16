namespace Jobs.Elasticsearch.Bootstrap;

internal enum SearchEngine
{
    Elasticsearch,
    OpenSearch,
}

/// <summary>What <c>GET /</c> said: the engine decides the mapping type of free-form maps.</summary>
internal sealed record ClusterInfo(SearchEngine Engine, string Version)
{
    /// <summary>
    /// The engine by <c>version.distribution</c> (never by number: Amazon domains with
    /// <c>override_main_response_version</c> report 7.10).
    /// </summary>
    public static ClusterInfo From(Dtos.InfoResponse info) => new(
        string.Equals(info.Version?.Distribution, "opensearch", StringComparison.OrdinalIgnoreCase) ? SearchEngine.OpenSearch : SearchEngine.Elasticsearch,
        info.Version?.Number ?? "unknown");

    /// <summary>The field type for a map of arbitrary JSON: <c>flattened</c> on Elasticsearch, <c>flat_object</c> on OpenSearch.</summary>
    public string FlatType => Engine == SearchEngine.OpenSearch ? "flat_object" : "flattened";

    public override string ToString() => $"{Engine} {Version}";
}
