using System.Text.Json.Nodes;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Dtos;
using Jobs.Elasticsearch.Cluster;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Elasticsearch.Bootstrap;

/// <summary>
/// Makes the cluster ready for the store, once per process: detects the engine (<c>GET /</c>),
/// then for each index reads the alias's mapping and either verifies it (adding the fields an
/// index made by an older version lacks) or creates the versioned index behind the alias. Idempotent, and safe when several instances start at once:
/// the loser of a creation race finds the index the winner made and verifies it.
/// </summary>
internal sealed partial class IndexBootstrapper(ElasticsearchHttpClient client, IOptions<ElasticsearchOptions> options, ILogger<IndexBootstrapper> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ClusterInfo? _ready;
    private bool _notificationsReady;

    public IndexLayout Layout { get; } = new(options.Value.IndexPrefix);

    /// <summary>Whether the bootstrap has succeeded in this process.</summary>
    public bool IsReady => _ready is not null;

    /// <summary>
    /// The cluster, bootstrapped. Throws <see cref="StoreUnavailableException"/> when it cannot
    /// be reached, <see cref="IncompatibleIndexException"/> when an index cannot be used. A
    /// failure is not remembered: the next call tries again.
    /// </summary>
    public async ValueTask<ClusterInfo> EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ready is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready is { } again)
            {
                return again;
            }

            var cluster = await DetectAsync(cancellationToken);
            foreach (var index in Layout.All)
            {
                await EnsureIndexAsync(index, cluster, cancellationToken);
            }

            LogReady(cluster.ToString(), client.BaseAddress, string.Join(", ", Layout.All.Select(i => i.Alias)));
            return _ready = cluster;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>As <see cref="EnsureAsync"/>, and the notification indices as well (created or upgraded the same way).</summary>
    public async ValueTask EnsureNotificationsAsync(CancellationToken cancellationToken)
    {
        var cluster = await EnsureAsync(cancellationToken);
        if (_notificationsReady)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_notificationsReady)
            {
                foreach (var index in Layout.Notifications)
                {
                    await EnsureIndexAsync(index, cluster, cancellationToken);
                }

                _notificationsReady = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ClusterInfo> DetectAsync(CancellationToken cancellationToken)
    {
        if (string.Equals(options.Value.AwsService, "aoss", StringComparison.OrdinalIgnoreCase)
            && options.Value.EffectiveAuth() == ElasticsearchAuth.SigV4)
        {
            // OpenSearch Serverless has no GET /.
            return new ClusterInfo(SearchEngine.OpenSearch, "serverless");
        }

        var response = await client.InfoAsync(cancellationToken);
        if (response.Status != 200)
        {
            throw response.Unexpected("Asking the cluster what it is");
        }

        return ClusterInfo.From(response.Read(EsJsonContext.Default.InfoResponse));
    }

    private async Task EnsureIndexAsync(IndexSpec index, ClusterInfo cluster, CancellationToken cancellationToken)
    {
        var expected = index.MappingFor(cluster);
        var existing = await client.GetMappingAsync(index.Alias, cancellationToken);
        if (existing.Status == 200)
        {
            await UpgradeAsync(index, expected, existing.ReadObject(), cancellationToken);
            return;
        }

        if (existing.Status != 404)
        {
            throw existing.Unexpected($"Reading the mapping of [{index.Alias}]");
        }

        if (!options.Value.CreateIndices)
        {
            throw new IncompatibleIndexException(
                $"The index [{index.Alias}] does not exist and Jobs__Elasticsearch__CreateIndices is false: create [{index.FirstIndex}] with the alias [{index.Alias}], or allow the store to.");
        }

        var created = await client.CreateIndexAsync(index.FirstIndex, CreateBody(index, expected), cancellationToken);
        if (created.IsSuccess)
        {
            LogCreated(index.FirstIndex, index.Alias, cluster.FlatType);
            return;
        }

        switch (created.Error?.Type)
        {
            case "resource_already_exists_exception":
                // Another instance created it between our two requests: verify what it made.
                var raced = await client.GetMappingAsync(index.Alias, cancellationToken);
                if (raced.Status == 404)
                {
                    throw new IncompatibleIndexException(
                        $"The index [{index.FirstIndex}] exists but the alias [{index.Alias}] does not point to it: add it with POST /_aliases {{\"actions\":[{{\"add\":{{\"index\":\"{index.FirstIndex}\",\"alias\":\"{index.Alias}\",\"is_write_index\":true}}}}]}}.");
                }

                if (raced.Status != 200)
                {
                    throw raced.Unexpected($"Reading the mapping of [{index.Alias}]");
                }

                Verify(index, expected, raced.ReadObject());
                return;
            case "mapper_parsing_exception" or "illegal_argument_exception" or "invalid_alias_name_exception":
                throw new IncompatibleIndexException(
                    $"{cluster} refused to create [{index.FirstIndex}]: {created.Error}. (OpenSearch needs 2.7 or later for flat_object.)");
            default:
                throw created.Unexpected($"Creating [{index.FirstIndex}]");
        }
    }

    /// <summary>
    /// Verifies an existing index; when its mapping only lacks fields (made by an older version:
    /// merge state, pending events, idempotency…), adds them with <c>PUT /{alias}/_mapping</c>
    /// first, so an upgrade needs no reindex. A field of another type is never changed.
    /// </summary>
    private async Task UpgradeAsync(IndexSpec index, JsonObject expected, JsonObject answer, CancellationToken cancellationToken)
    {
        if (answer.Count == 1 && options.Value.CreateIndices
            && answer.First().Value?["mappings"] is JsonObject actual
            && MappingCheck.Additions(expected, actual) is { } additions)
        {
            var merged = actual.DeepClone().AsObject();
            Merge(merged, additions);
            if (MappingCheck.Differences(expected, merged).Count == 0)
            {
                var put = await client.PutMappingAsync(index.Alias, additions, cancellationToken);
                if (!put.IsSuccess)
                {
                    throw put.Status is 400 or 403
                        ? new IncompatibleIndexException($"Adding the fields {string.Join(", ", Names(additions))} to [{answer.First().Key}] behind [{index.Alias}] was refused: {put.Error}.")
                        : put.Unexpected($"Adding fields to the mapping of [{index.Alias}]");
                }

                LogUpgraded(answer.First().Key, index.Alias, string.Join(", ", Names(additions)));
                answer = new JsonObject { [answer.First().Key] = new JsonObject { ["mappings"] = merged } };
            }
        }

        Verify(index, expected, answer);
    }

    private static void Merge(JsonObject target, JsonObject additions)
    {
        foreach (var (name, node) in additions)
        {
            if (target[name] is JsonObject existing && node is JsonObject more)
            {
                Merge(existing, more);
            }
            else
            {
                target[name] = node!.DeepClone();
            }
        }
    }

    /// <summary>The dotted paths of the fields a <c>_mapping</c> body adds.</summary>
    private static IEnumerable<string> Names(JsonObject additions, string prefix = "")
    {
        foreach (var (name, node) in additions["properties"]!.AsObject())
        {
            var path = prefix + name;
            if (node!["type"] is null && node["properties"] is JsonObject && node.AsObject().Count == 1)
            {
                foreach (var inner in Names(node.AsObject(), path + "."))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    private JsonObject CreateBody(IndexSpec index, JsonObject mapping)
    {
        var settings = new JsonObject { ["number_of_shards"] = options.Value.NumberOfShards };
        if (options.Value.NumberOfReplicas is { } replicas)
        {
            settings["number_of_replicas"] = replicas;
        }

        return new JsonObject
        {
            ["settings"] = settings,
            ["mappings"] = mapping,
            ["aliases"] = new JsonObject { [index.Alias] = new JsonObject { ["is_write_index"] = true } },
        };
    }

    /// <summary><c>GET /{alias}/_mapping</c> is keyed by the concrete index: exactly one, with a compatible mapping.</summary>
    private static void Verify(IndexSpec index, JsonObject expected, JsonObject answer)
    {
        if (answer.Count != 1)
        {
            throw new IncompatibleIndexException(
                $"The alias [{index.Alias}] points to {answer.Count} indices ({string.Join(", ", answer.Select(a => a.Key))}); the store reads and writes documents by id through it, so it must point to exactly one.");
        }

        var (concrete, body) = answer.First();
        var problems = MappingCheck.Differences(expected, body?["mappings"] as JsonObject);
        if (problems.Count > 0)
        {
            throw new IncompatibleIndexException(
                $"The index [{concrete}] behind [{index.Alias}] has a mapping the store cannot use: {string.Join("; ", problems)}. Reindex it into a new index with the mapping in infra/elasticsearch/, or set Jobs__Elasticsearch__IndexPrefix to use other indices.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Jobs store ready on {Cluster} at {Url}: {Aliases}")]
    private partial void LogReady(string cluster, string url, string aliases);

    [LoggerMessage(Level = LogLevel.Information, Message = "Added the fields {Fields} to the mapping of {Index} behind alias {Alias} (an index made by an older version)")]
    private partial void LogUpgraded(string index, string alias, string fields);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created index {Index} behind alias {Alias} (free-form maps as {FlatType})")]
    private partial void LogCreated(string index, string alias, string flatType);
}

/// <summary>An existing index the store cannot use, or one it may not create: fix the cluster or the settings.</summary>
internal sealed class IncompatibleIndexException(string message) : InvalidOperationException(message);
