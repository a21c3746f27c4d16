using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Elasticsearch.Tests.Support;

/// <summary>Realistic cluster answers (composed after the documented shapes, trimmed).</summary>
internal static class EsAnswers
{
    public const string Elasticsearch8Info = """
        {"name":"es01","cluster_name":"docker-cluster","cluster_uuid":"hx0sNn3vQ7WkW2GgPqY3ZQ","version":{"number":"8.15.3","build_flavor":"default","build_type":"docker","build_hash":"f97532e680b555c3a05e73a74c28afb666923018","build_date":"2024-10-09T22:08:00.328917561Z","build_snapshot":false,"lucene_version":"9.11.1","minimum_wire_compatibility_version":"7.17.0","minimum_index_compatibility_version":"7.0.0"},"tagline":"You Know, for Search"}
        """;

    public const string Elasticsearch9Info = """
        {"name":"es01","cluster_name":"docker-cluster","cluster_uuid":"q2XbV7oLQ1yq8m0f3cH4ZA","version":{"number":"9.1.5","build_flavor":"default","build_type":"docker","build_hash":"90ee222e7e0136dd8ddbb34015538f3a00c129b7","build_date":"2025-10-02T22:07:12.966975992Z","build_snapshot":false,"lucene_version":"10.2.2","minimum_wire_compatibility_version":"8.19.0","minimum_index_compatibility_version":"8.0.0"},"tagline":"You Know, for Search"}
        """;

    public const string OpenSearch2Info = """
        {"name":"opensearch-node1","cluster_name":"opensearch-cluster","cluster_uuid":"3kF0d1x7R4uyb8m2hJtQ0w","version":{"distribution":"opensearch","number":"2.17.1","build_type":"tar","build_hash":"1893d20797e30110e5877170e44d42275ce5951e","build_date":"2024-09-26T21:59:52.691008096Z","build_snapshot":false,"lucene_version":"9.11.1","minimum_wire_compatibility_version":"7.10.0","minimum_index_compatibility_version":"7.0.0"},"tagline":"The OpenSearch Project: https://opensearch.org/"}
        """;

    /// <summary>An Amazon OpenSearch Service domain with <c>override_main_response_version</c>: looks like 7.10 by number.</summary>
    public const string AmazonCompatibilityInfo = """
        {"name":"a1b2c3","cluster_name":"123456789012:jobs","cluster_uuid":"Zq1","version":{"distribution":"opensearch","number":"7.10.2","build_type":"tar","build_hash":"unknown","build_date":"2024-11-04T10:14:04.735305Z","build_snapshot":false,"lucene_version":"9.11.1","minimum_wire_compatibility_version":"7.10.0","minimum_index_compatibility_version":"7.0.0"},"tagline":"The OpenSearch Project: https://opensearch.org/"}
        """;

    public static string IndexNotFound(string index) => $$"""
        {"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [{{index}}]","resource.type":"index_or_alias","resource.id":"{{index}}","index_uuid":"_na_","index":"{{index}}"}],"type":"index_not_found_exception","reason":"no such index [{{index}}]","resource.type":"index_or_alias","resource.id":"{{index}}","index_uuid":"_na_","index":"{{index}}"},"status":404}
        """;

    public static string IndexCreated(string index) => $$"""{"acknowledged":true,"shards_acknowledged":true,"index":"{{index}}"}""";

    public static string IndexAlreadyExists(string index) => $$"""
        {"error":{"root_cause":[{"type":"resource_already_exists_exception","reason":"index [{{index}}/kQz4Hk0pT1m2] already exists","index_uuid":"kQz4Hk0pT1m2","index":"{{index}}"}],"type":"resource_already_exists_exception","reason":"index [{{index}}/kQz4Hk0pT1m2] already exists","index_uuid":"kQz4Hk0pT1m2","index":"{{index}}"},"status":400}
        """;

    public const string TooManyRequests = """
        {"error":{"root_cause":[{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=52428900, max_coordinating_and_primary_bytes=53687091]"}],"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=52428900, max_coordinating_and_primary_bytes=53687091]"},"status":429}
        """;

    public const string ServiceUnavailable = """
        {"error":{"root_cause":[{"type":"cluster_block_exception","reason":"blocked by: [SERVICE_UNAVAILABLE/2/no master];"}],"type":"cluster_block_exception","reason":"blocked by: [SERVICE_UNAVAILABLE/2/no master];"},"status":503}
        """;

    public static string VersionConflictExists(string id) => $$"""
        {"error":{"root_cause":[{"type":"version_conflict_engine_exception","reason":"[{{id}}]: version conflict, document already exists (current version [1])","index_uuid":"kQz4Hk0pT1m2","shard":"0","index":"jobs-000001"}],"type":"version_conflict_engine_exception","reason":"[{{id}}]: version conflict, document already exists (current version [1])","index_uuid":"kQz4Hk0pT1m2","shard":"0","index":"jobs-000001"},"status":409}
        """;

    public static string Created(string index, string id, long seqNo = 0) => $$"""
        {"_index":"{{index}}","_id":"{{id}}","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":{{seqNo}},"_primary_term":1}
        """;

    public static string NotFound(string index, string id) => $$"""{"_index":"{{index}}","_id":"{{id}}","found":false}""";

    public static string Found(string index, string id, string source, long seqNo = 7, long primaryTerm = 1) => $$"""
        {"_index":"{{index}}","_id":"{{id}}","_version":3,"_seq_no":{{seqNo}},"_primary_term":{{primaryTerm}},"found":true,"_source":{{source}}}
        """;

    /// <summary><c>GET /{alias}/_mapping</c> of one concrete index with <paramref name="mapping"/>.</summary>
    public static string MappingOf(string concrete, JsonObject mapping) =>
        new JsonObject { [concrete] = new JsonObject { ["mappings"] = mapping } }.ToJsonString();

    /// <summary>As <see cref="MappingOf(string, JsonObject)"/>, with free-form maps typed as <paramref name="engine"/> types them.</summary>
    public static string MappingOf(string concrete, JsonObject mapping, Engine engine) =>
        MappingOf(concrete, mapping).Replace("\"flattened\"", $"\"{engine.FlatType}\"", StringComparison.Ordinal);

    /// <summary>The jobs mapping as an OpenSearch index reports it.</summary>
    public static JsonObject OpenSearchJobsMapping()
    {
        var mapping = JobsMapping.Load();
        mapping["properties"]!["inputs"]!["type"] = "flat_object";
        mapping["properties"]!["outputs"]!["type"] = "flat_object";
        return mapping;
    }
}
