using System.Text.Json.Nodes;
using Jobs.Core.Storage;

namespace Jobs.Api.Endpoints.Es;

/// <summary><c>GET|HEAD /es/</c> (who the cluster is) and <c>GET /es/_cluster/health</c> (the store's readiness as a colour).</summary>
internal static class ClusterHandlers
{
    public static IResult Info(HttpRequest request, EsCluster cluster)
    {
        var body = new JsonObject
        {
            ["name"] = cluster.NodeName,
            ["cluster_name"] = cluster.ClusterName,
            ["cluster_uuid"] = cluster.ClusterUuid,
            ["version"] = new JsonObject
            {
                ["number"] = EsCluster.Version,
                ["build_flavor"] = "default",
                ["build_type"] = "jobs",
                ["build_hash"] = typeof(ClusterHandlers).Assembly.ManifestModule.ModuleVersionId.ToString("N"),
                ["build_snapshot"] = false,
                ["lucene_version"] = "jobs",
                ["minimum_wire_compatibility_version"] = "8.18.0",
                ["minimum_index_compatibility_version"] = "8.0.0",
            },
            ["tagline"] = "You Know, for Search",
        };
        return EsResults.Json(request, body);
    }

    /// <summary>Green while the store serves requests, red when it does not; one node, one primary, no replicas.</summary>
    public static async Task<IResult> HealthAsync(HttpRequest request, IJobStore store, EsCluster cluster, CancellationToken ct)
    {
        var health = await store.CheckHealthAsync(ct);
        var shards = health.Ready ? 1 : 0;
        var body = new JsonObject
        {
            ["cluster_name"] = cluster.ClusterName,
            ["status"] = health.Ready ? "green" : "red",
            ["timed_out"] = false,
            ["number_of_nodes"] = 1,
            ["number_of_data_nodes"] = 1,
            ["active_primary_shards"] = shards,
            ["active_shards"] = shards,
            ["relocating_shards"] = 0,
            ["initializing_shards"] = 0,
            ["unassigned_shards"] = 1 - shards,
            ["unassigned_primary_shards"] = 1 - shards,
            ["delayed_unassigned_shards"] = 0,
            ["number_of_pending_tasks"] = 0,
            ["number_of_in_flight_fetch"] = 0,
            ["task_max_waiting_in_queue_millis"] = 0,
            ["active_shards_percent_as_number"] = shards * 100.0,
        };

        // Elasticsearch answers 408 when wait_for_status is not reached; here the colour cannot change by waiting.
        var wanted = request.Query["wait_for_status"].ToString();
        var reached = wanted.Length == 0 || health.Ready || wanted == "red";
        return EsResults.Json(request, body, reached ? StatusCodes.Status200OK : StatusCodes.Status408RequestTimeout);
    }
}
