using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Elasticsearch.Bootstrap;

/// <summary>
/// One index of the store: an alias (what every request names) in front of a versioned index
/// (<c>jobs</c> -> <c>jobs-000001</c>), so the mapping can change later by reindexing into
/// <c>jobs-000002</c> and moving the alias, without downtime.
/// </summary>
internal sealed record IndexSpec(string Alias, Func<JsonObject> Mapping)
{
    public string FirstIndex => Alias + "-000001";

    /// <summary>The mapping to install on <paramref name="cluster"/>: <c>flattened</c> becomes <c>flat_object</c> on OpenSearch.</summary>
    public JsonObject MappingFor(ClusterInfo cluster)
    {
        var mapping = Mapping();
        if (cluster.FlatType != "flattened")
        {
            ReplaceFlattened(mapping, cluster.FlatType);
        }

        return mapping;
    }

    private static void ReplaceFlattened(JsonObject node, string type)
    {
        foreach (var (key, value) in node.ToList())
        {
            if (key == "type" && value is JsonValue v && v.TryGetValue<string>(out var name) && name == "flattened")
            {
                node["type"] = type;
            }
            else if (value is JsonObject child)
            {
                ReplaceFlattened(child, type);
            }
        }
    }
}

/// <summary>The store's indices, named with the configured prefix.</summary>
internal sealed class IndexLayout(string prefix)
{
    /// <summary>The jobs (mapping: <c>infra/elasticsearch/jobs-mapping.json</c>, the one Core embeds).</summary>
    public IndexSpec Jobs { get; } = new(prefix + "jobs", JobsMapping.Load);

    /// <summary>Every applied or rejected update, <c>_id</c> = update id.</summary>
    public IndexSpec Events { get; } = new(prefix + "job-events", () => MappingResource.Load("job-events-mapping.json"));

    /// <summary>Deployed process versions, <c>_id</c> = <c>{id}:{version}</c>.</summary>
    public IndexSpec Processes { get; } = new(prefix + "processes", () => MappingResource.Load("processes-mapping.json"));

    /// <summary>Subscriptions to job events, <c>_id</c> = subscription id (<see cref="Store.ElasticsearchNotificationStore"/>).</summary>
    public IndexSpec Subscriptions { get; } = new(prefix + "job-subscriptions", () => MappingResource.Load("job-subscriptions-mapping.json"));

    /// <summary>Deliveries of job events to subscriptions, <c>_id</c> = <c>{subscription id}-{event id}</c>.</summary>
    public IndexSpec Deliveries { get; } = new(prefix + "job-deliveries", () => MappingResource.Load("job-deliveries-mapping.json"));

    /// <summary>The indices every host needs, bootstrapped before the store's first operation.</summary>
    public IReadOnlyList<IndexSpec> All => [Jobs, Events, Processes];

    /// <summary>The notification indices, bootstrapped on the notification store's first use (hosts that never notify never make them).</summary>
    public IReadOnlyList<IndexSpec> Notifications => [Subscriptions, Deliveries];
}

internal static class MappingResource
{
    public static JsonObject Load(string name)
    {
        using var stream = typeof(MappingResource).Assembly.GetManifestResourceStream("Jobs.Elasticsearch." + name)
            ?? throw new InvalidOperationException($"The mapping resource {name} is missing from Jobs.Elasticsearch.");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
