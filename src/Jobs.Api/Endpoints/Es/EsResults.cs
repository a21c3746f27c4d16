using System.Text.Json.Nodes;
using Jobs.Core.Storage;

namespace Jobs.Api.Endpoints.Es;

/// <summary>The answers every <c>/es</c> handler shares: JSON through <c>filter_path</c>, the index's mapping and settings.</summary>
internal static class EsResults
{
    /// <summary>A JSON answer, filtered by the request's <c>filter_path</c> when it has one.</summary>
    public static IResult Json(HttpRequest request, JsonNode body, int status = StatusCodes.Status200OK)
    {
        var filtered = request.Query.TryGetValue("filter_path", out var filter) && filter.ToString().Length > 0
            ? FilterPath.Apply(body, filter.ToString())
            : body;
        return Results.Json(filtered, statusCode: status);
    }

    /// <summary>
    /// The <c>mappings</c> of the jobs index. The store reports them under its own index name
    /// (on Elasticsearch the concrete index behind the <c>jobs</c> alias); this surface calls it <c>jobs</c>.
    /// </summary>
    public static async Task<JsonObject> MappingsAsync(IJobStore store, CancellationToken ct)
    {
        var mapping = await store.GetMappingAsync(ct);
        var first = mapping.Select(p => p.Value).OfType<JsonObject>().FirstOrDefault();
        return first?["mappings"]?.DeepClone() as JsonObject ?? [];
    }

    /// <summary>The few index settings clients read: one primary shard, no replicas, a stable uuid.</summary>
    public static JsonObject Settings(EsCluster cluster) => new()
    {
        ["index"] = new JsonObject
        {
            ["number_of_shards"] = "1",
            ["number_of_replicas"] = "0",
            ["uuid"] = cluster.IndexUuid,
            ["provided_name"] = IndexExpression.Jobs,
        },
    };

    /// <summary>What Elasticsearch answers to a search whose wildcards matched no index.</summary>
    public static JsonObject EmptySearch() => new()
    {
        ["took"] = 0,
        ["timed_out"] = false,
        ["_shards"] = Shards(0),
        ["hits"] = new JsonObject
        {
            ["total"] = new JsonObject { ["value"] = 0, ["relation"] = "eq" },
            ["max_score"] = null,
            ["hits"] = new JsonArray(),
        },
    };

    public static JsonObject Shards(int total) => new() { ["total"] = total, ["successful"] = total, ["skipped"] = 0, ["failed"] = 0 };
}
