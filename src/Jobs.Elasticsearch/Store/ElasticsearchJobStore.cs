using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Merging;
using Jobs.Core.Notifications;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Jobs.Elasticsearch.Bootstrap;
using Jobs.Elasticsearch.Dtos;
using Jobs.Elasticsearch.Cluster;

namespace Jobs.Elasticsearch.Store;

/// <summary>
/// The store on Elasticsearch 8 / OpenSearch 2: jobs in <c>{prefix}jobs</c>, their events in
/// <c>{prefix}job-events</c>, processes in <c>{prefix}processes</c>. Every operation first makes
/// sure the indices are bootstrapped (once per process).
/// </summary>
internal sealed partial class ElasticsearchJobStore(
    ElasticsearchHttpClient client,
    IndexBootstrapper bootstrapper,
    UpdateBatch updateBatch,
    JobOutbox outbox) : IJobStore, IProcessRegistry
{
    private IndexLayout Layout => bootstrapper.Layout;

    /// <summary>
    /// One request: <c>PUT /jobs/_doc/{id}?op_type=create&amp;refresh=false</c>, the creation event
    /// in the job's outbox (the job's first update indexes it in <c>job-events</c>). On 409 one
    /// more, a realtime GET, to tell an existing job from our own earlier attempt whose answer was
    /// lost (a retried create that had landed). With an events publisher, the <c>created</c> event
    /// is in the job's outbox (<see cref="JobOutbox"/>), published and cleared after the write.
    /// </summary>
    public async Task<bool> CreateAsync(JobDocument job, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var creation = JobMerger.CreationEvent(job);
        var events = outbox.Next(JobOutbox.State.Empty, null, JobEventTypes.Created);
        var source = UpdateBatch.JobSource(job, [creation], events);
        // A job with an idempotency key must be findable by the retry that may follow at once.
        var refresh = job.Idempotency is null ? Refresh.False : Refresh.WaitFor;
        var response = await client.CreateDocumentAsync(Layout.Jobs.Alias, job.Id, source, refresh, cancellationToken);
        if (response.IsSuccess)
        {
            var created = response.ReadObject();
            if (created["_seq_no"]?.GetValue<long>() is { } seqNo && created["_primary_term"]?.GetValue<long>() is { } term)
            {
                await outbox.PublishAndClearAsync(Layout, [new JobOutbox.Written(job.Id, job, [creation], events, seqNo, term)], cancellationToken);
            }

            return true;
        }

        if (response.Status != 409)
        {
            throw response.Unexpected($"Creating job {job.Id}");
        }

        // Our own earlier attempt if the job is the same (the outbox aside: its time, or a clear since);
        // its created event is then in the stored outbox or already published.
        var existing = await ReadJobAsync(job.Id, cancellationToken);
        return existing is { Source: { } stored } && JsonNode.DeepEquals(WithoutOutbox(JsonNode.Parse(stored.GetRawText())), WithoutOutbox(JsonNode.Parse(source)));
    }

    private static JsonNode? WithoutOutbox(JsonNode? source)
    {
        if (source is JsonObject document)
        {
            document.Remove(JobOutbox.Field);
            document.Remove(JobOutbox.SinceField);
        }

        return source;
    }

    /// <summary>One request: <c>GET /jobs/_doc/{id}</c> (realtime).</summary>
    public async Task<JobDocument?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var found = await ReadJobAsync(jobId, cancellationToken);
        return found?.Source is { } source ? ParseJob(jobId, source) : null;
    }

    public async Task<IReadOnlyList<UpdateResult>> ApplyAsync(IReadOnlyList<JobUpdate> updates, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return [];
        }

        await ReadyAsync(cancellationToken);
        return await updateBatch.ApplyAsync(Layout, updates, cancellationToken);
    }

    /// <summary>
    /// A realtime GET of the job (its outbox and any history kept in a document written before
    /// <c>job-events</c> held it) and one search of <c>job-events</c>, merged by sort key.
    /// </summary>
    public async Task<HistoryPage> GetHistoryAsync(string jobId, string? after, int limit, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var found = await ReadJobAsync(jobId, cancellationToken);
        if (found?.Source is not { } source)
        {
            return new HistoryPage([], null);
        }

        if (ParseJob(jobId, source).LegacyEvents is { } legacy)
        {
            return HistoryPages.Page(legacy, after, limit);
        }

        var page = await EventPages.SearchAsync(client, Layout, jobId, after, limit, cancellationToken);
        var pending = UpdateBatch.PendingOf(source);
        if (pending.Count == 0)
        {
            return page;
        }

        // The outbox may hold events the search does not see yet: the union, cut at the page's end.
        var cutoff = page.Next;
        var union = page.Events.Concat(pending)
            .Where(e => cutoff is null || string.CompareOrdinal(StoredEvents.SortKey(e), cutoff) <= 0)
            .GroupBy(e => StoredEvents.DocumentId(jobId, e), StringComparer.Ordinal)
            .Select(g => g.Last());
        var merged = HistoryPages.Page(union, after, limit);
        return new HistoryPage(merged.Events, merged.Next ?? cutoff);
    }

    /// <summary>One request: <c>POST /jobs/_search</c> with the body as given; the answer as Elasticsearch gave it.</summary>
    public async Task<JsonObject> SearchAsync(JsonObject request, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var response = await client.SearchAsync(Layout.Jobs.Alias, request, cancellationToken);
        return response.IsSuccess ? response.ReadObject() : throw SearchFailure(response, "Searching the jobs");
    }

    /// <summary>One request: <c>POST /jobs/_count</c>.</summary>
    public async Task<JsonObject> CountAsync(JsonObject? request, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var response = await client.CountAsync(Layout.Jobs.Alias, request, cancellationToken);
        return response.IsSuccess ? response.ReadObject() : throw SearchFailure(response, "Counting the jobs");
    }

    /// <summary>One request: <c>GET /jobs/_mapping</c> (keyed by the concrete index, as Elasticsearch answers).</summary>
    public async Task<JsonObject> GetMappingAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var response = await client.GetMappingAsync(Layout.Jobs.Alias, cancellationToken);
        return response.IsSuccess ? response.ReadObject() : throw response.Unexpected("Reading the jobs mapping");
    }

    /// <summary>
    /// Ready when the indices are bootstrapped and the jobs index answers a count now (one
    /// <c>POST /jobs/_count</c>, not retried: a probe answers fast). Before the first successful
    /// bootstrap an unretried <c>GET /</c> comes first, so an unreachable cluster is reported at
    /// once rather than after the retries.
    /// </summary>
    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!bootstrapper.IsReady && await client.InfoAsync(cancellationToken, retry: false) is { IsSuccess: false } refused)
            {
                return new StoreHealth(false, $"Elasticsearch at {client.BaseAddress}: {refused.Describe()}");
            }

            var cluster = await bootstrapper.EnsureAsync(cancellationToken);
            var response = await client.CountAsync(Layout.Jobs.Alias, null, cancellationToken, retry: false);
            if (!response.IsSuccess)
            {
                return new StoreHealth(false, $"{cluster} at {client.BaseAddress}: {response.Describe()}");
            }

            var count = response.Read(EsJsonContext.Default.CountResponse).Count;
            return new StoreHealth(true, $"{cluster} at {client.BaseAddress}: [{Layout.Jobs.Alias}] holds {count} jobs");
        }
        catch (Exception e) when (e is StoreUnavailableException or IncompatibleIndexException)
        {
            return new StoreHealth(false, e.Message);
        }
    }

    private async Task ReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await bootstrapper.EnsureAsync(cancellationToken);
        }
        catch (IncompatibleIndexException e)
        {
            throw new StoreUnavailableException(e.Message, e);
        }
    }

    /// <summary>The stored job with its sequence number and primary term, or null.</summary>
    private async Task<GetResponse?> ReadJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var response = await client.GetDocumentAsync(Layout.Jobs.Alias, jobId, cancellationToken);
        if (response.Status == 404 && response.Error is null)
        {
            return null;
        }

        if (response.Status != 200)
        {
            throw response.Unexpected($"Reading job {jobId}");
        }

        var found = response.Read(EsJsonContext.Default.GetResponse);
        return found.Found ? found : null;
    }

    internal static JobDocument ParseJob(string jobId, JsonElement source)
    {
        try
        {
            return JobsJson.ParseJob(source);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"The stored job {jobId} is not a job document: {e.Message}", e);
        }
    }

    /// <summary>
    /// A refused search is the caller's (<see cref="SearchException"/> with Elasticsearch's own
    /// error); anything that is the store's problem (authentication, a missing index, overload
    /// outlasting the retries, a server error) is <see cref="StoreUnavailableException"/>.
    /// </summary>
    private static Exception SearchFailure(EsResponse response, string what)
    {
        var error = response.Error;
        var callersFault = response.Status is >= 400 and < 500 and not (401 or 403 or 408 or 429)
            && error is not null && error.Type != "index_not_found_exception";
        return callersFault
            ? new SearchException(error!.Type, error.Reason, response.Status) { Body = ElasticsearchError.BodyObject(response.Body) }
            : response.Unexpected(what);
    }
}
