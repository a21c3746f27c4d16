using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Bootstrap;
using Jobs.Elasticsearch.Dtos;
using Jobs.Elasticsearch.Cluster;

namespace Jobs.Elasticsearch.Store;

/// <summary>
/// A page of one job's events from <c>job-events</c>: <c>term</c> on <c>job-id</c>, sorted by
/// the history <c>key</c>, continued with <c>search_after</c> (the key is unique per job).
/// </summary>
internal static class EventPages
{
    public static async Task<HistoryPage> SearchAsync(
        ElasticsearchHttpClient client, IndexLayout layout, string jobId, string? after, int limit, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["size"] = limit + 1,
            ["query"] = new JsonObject { ["term"] = new JsonObject { ["job-id"] = jobId } },
            ["sort"] = new JsonArray(new JsonObject { ["key"] = "asc" }),
            ["track_total_hits"] = false,
        };
        if (after is not null)
        {
            body["search_after"] = new JsonArray(after);
        }

        var response = await client.SearchAsync(layout.Events.Alias, body, cancellationToken);
        if (!response.IsSuccess)
        {
            throw response.Unexpected($"Reading the history of job {jobId}");
        }

        var hits = response.Read(EsJsonContext.Default.SearchHitsResponse).Hits.Hits;
        var events = hits.Take(limit).Select(h => h.Source.Deserialize(JobsJsonContext.Default.JobEvent)!).ToList();
        var next = hits.Count > limit && hits[limit - 1].Sort is { ValueKind: JsonValueKind.Array } sort ? sort[0].GetString() : null;
        return new HistoryPage(events, next);
    }
}
