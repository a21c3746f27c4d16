using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Json;
using Jobs.Core.Processes;
using Jobs.Elasticsearch.Dtos;
using Jobs.Elasticsearch.Cluster;

namespace Jobs.Elasticsearch.Store;

/// <summary>
/// The process registry in <c>{prefix}processes</c>, one document per version with
/// <c>_id</c> = <c>{id}:{version}</c> (neither may contain a colon). Deploys and undeploys are
/// rare, so they wait for a refresh: the next list or "latest version" search sees them.
/// </summary>
internal sealed partial class ElasticsearchJobStore
{
    private const int ProcessPageSize = 1000;

    public async Task<bool> DeployAsync(ProcessDefinition process, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var response = await client.CreateDocumentAsync(
            Layout.Processes.Alias, ProcessDocumentId(process.Id, process.Version), JobsJson.ToUtf8(process), Refresh.WaitFor, cancellationToken);
        return response.Status == 409 ? false : response.IsSuccess ? true : throw response.Unexpected($"Deploying process {process.Id}:{process.Version}");
    }

    public async Task<ProcessDefinition?> GetAsync(string id, string? version, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        if (version is not null)
        {
            var response = await client.GetDocumentAsync(Layout.Processes.Alias, ProcessDocumentId(id, version), cancellationToken);
            if (response.Status == 404 && response.Error is null)
            {
                return null;
            }

            var found = response.Status == 200 ? response.Read(EsJsonContext.Default.GetResponse) : throw response.Unexpected($"Reading process {id}:{version}");
            return found is { Found: true, Source: { } source } ? ParseProcess(source) : null;
        }

        var latest = new JsonObject
        {
            ["query"] = new JsonObject { ["term"] = new JsonObject { ["id"] = id } },
            ["sort"] = new JsonArray(Sort("deployed", "desc"), Sort("version", "desc")),
            ["size"] = 1,
        };
        var hits = await SearchProcessesAsync(latest, cancellationToken);
        return hits.Count == 0 ? null : ParseProcess(hits[0].Source);
    }

    /// <summary>Every version, a page of 1000 at a time (<c>search_after</c>, so there is no 10,000 limit).</summary>
    public async Task<IReadOnlyList<ProcessDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var processes = new List<ProcessDefinition>();
        JsonElement? after = null;
        while (true)
        {
            var page = new JsonObject
            {
                ["query"] = new JsonObject { ["match_all"] = new JsonObject() },
                ["sort"] = new JsonArray(Sort("id", "asc"), Sort("deployed", "asc"), Sort("version", "asc")),
                ["size"] = ProcessPageSize,
            };
            if (after is { } last)
            {
                page["search_after"] = JsonNode.Parse(last.GetRawText());
            }

            var hits = await SearchProcessesAsync(page, cancellationToken);
            processes.AddRange(hits.Select(h => ParseProcess(h.Source)));
            if (hits.Count < ProcessPageSize)
            {
                return processes;
            }

            after = hits[^1].Sort;
        }
    }

    public async Task<int> UndeployAsync(string id, string? version, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        if (version is not null)
        {
            var deleted = await client.DeleteDocumentAsync(Layout.Processes.Alias, ProcessDocumentId(id, version), Refresh.WaitFor, cancellationToken);
            return deleted.Status switch
            {
                200 => 1,
                404 when deleted.Error is null => 0,
                _ => throw deleted.Unexpected($"Undeploying process {id}:{version}"),
            };
        }

        var all = new JsonObject { ["query"] = new JsonObject { ["term"] = new JsonObject { ["id"] = id } } };
        var response = await client.DeleteByQueryAsync(Layout.Processes.Alias, all, cancellationToken);
        return response.IsSuccess
            ? response.Read(EsJsonContext.Default.DeleteByQueryResponse).Deleted
            : throw response.Unexpected($"Undeploying every version of process {id}");
    }

    internal static string ProcessDocumentId(string id, string version) => $"{id}:{version}";

    private async Task<IReadOnlyList<SearchHit>> SearchProcessesAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var response = await client.SearchAsync(Layout.Processes.Alias, body, cancellationToken);
        return response.IsSuccess
            ? response.Read(EsJsonContext.Default.SearchHitsResponse).Hits.Hits
            : throw response.Unexpected("Searching the processes");
    }

    private static JsonObject Sort(string field, string order) => new() { [field] = new JsonObject { ["order"] = order } };

    private static ProcessDefinition ParseProcess(JsonElement source)
    {
        try
        {
            return JobsJson.ParseProcess(Encoding.UTF8.GetBytes(source.GetRawText()));
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"A stored process is not a process document: {e.Message}", e);
        }
    }
}
