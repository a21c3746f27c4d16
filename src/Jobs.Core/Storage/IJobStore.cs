using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Updates;

namespace Jobs.Core.Storage;

/// <summary>
/// The store port: where jobs live. Adapters: <c>Jobs.Embedded</c> (Lucene.Net on local disk)
/// and <c>Jobs.Elasticsearch</c> (Elasticsearch 8 / OpenSearch 2). Both accept the same
/// Elasticsearch query DSL and answer in Elasticsearch's shapes; one conformance suite runs
/// against both.
/// </summary>
/// <remarks>
/// Durability: when a write method returns, what it reports as stored survives a crash of the
/// process. Reads of one job by id are realtime (read-your-writes); search sees every write that
/// completed before the search began on the embedded store, and within the refresh interval on
/// Elasticsearch.
/// </remarks>
public interface IJobStore
{
    /// <summary>
    /// Stores a new job (built by <see cref="Merging.JobMerger.Create"/>) with its creation event
    /// (<see cref="Merging.JobMerger.CreationEvent"/>). Returns false, and changes nothing, when a
    /// job with the same id exists.
    /// </summary>
    Task<bool> CreateAsync(JobDocument job, CancellationToken cancellationToken);

    /// <summary>The job with this id, or null. Realtime.</summary>
    Task<JobDocument?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// The newest job created with this <see cref="IdempotencyRecord.KeySha256"/>, or null: how
    /// an execute with an <c>Idempotency-Key</c> header finds the job an earlier attempt made,
    /// across restarts. It sees every create that returned before it began: on the embedded store
    /// because search is current; on Elasticsearch because a create carrying a key waits for the
    /// refresh (<c>refresh=wait_for</c>). The default runs a <c>term</c> search on
    /// <c>idempotency.key-sha256</c>, which every store of this port answers.
    /// </summary>
    async Task<JobDocument?> FindByIdempotencyKeyAsync(string keySha256, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["size"] = 1,
            ["query"] = new JsonObject { ["term"] = new JsonObject { ["idempotency.key-sha256"] = keySha256 } },
            ["sort"] = new JsonArray(new JsonObject { ["created"] = new JsonObject { ["order"] = "desc" } }),
        };
        var response = await SearchAsync(request, cancellationToken);
        var hit = response["hits"]?["hits"]?.AsArray().FirstOrDefault();
        return hit?["_source"] is { } source ? Json.JobsJson.ParseJob(source) : null;
    }

    /// <summary>
    /// Applies a batch of updates (any jobs, any order) through
    /// <see cref="Merging.UpdateBatches.ApplyAsync"/>. One result per update, in the batch's order. Throws
    /// <see cref="StoreUnavailableException"/> when the store cannot be reached, in which case
    /// nothing of the batch may be assumed stored.
    /// </summary>
    Task<IReadOnlyList<UpdateResult>> ApplyAsync(IReadOnlyList<JobUpdate> updates, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> events of the job's history, oldest first, after the cursor
    /// <paramref name="after"/> (a previous page's <see cref="HistoryPage.Next"/>; null: from the
    /// start). An unknown job has an empty history. Realtime on the embedded store; within the
    /// refresh interval on Elasticsearch.
    /// </summary>
    Task<HistoryPage> GetHistoryAsync(string jobId, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Runs an Elasticsearch <c>_search</c> request body against the jobs and returns the
    /// Elasticsearch response body. Throws <see cref="Search.SearchException"/> for a request
    /// that Elasticsearch would refuse or that this store does not support.
    /// </summary>
    Task<JsonObject> SearchAsync(JsonObject request, CancellationToken cancellationToken);

    /// <summary>An Elasticsearch <c>_count</c> (request body may be null: all jobs).</summary>
    Task<JsonObject> CountAsync(JsonObject? request, CancellationToken cancellationToken);

    /// <summary>The mapping of the jobs index as Elasticsearch's <c>GET /jobs/_mapping</c> reports it.</summary>
    Task<JsonObject> GetMappingAsync(CancellationToken cancellationToken);

    /// <summary>Whether the store can serve requests now.</summary>
    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken);
}

/// <summary>A store's readiness and a short explanation.</summary>
public sealed record StoreHealth(bool Ready, string Description);

/// <summary>The store cannot be reached or refused for a passing reason; try again later.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
