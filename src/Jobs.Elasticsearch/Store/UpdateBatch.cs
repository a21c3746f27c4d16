using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Merging;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Jobs.Elasticsearch.Bootstrap;
using Jobs.Elasticsearch.Dtos;
using Jobs.Elasticsearch.Cluster;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Elasticsearch.Store;

/// <summary>
/// Applies a batch of updates through the one batch merge (<see cref="UpdateBatches"/>), with the
/// cluster as its <see cref="IMergeBackend"/>:
/// <list type="number">
/// <item>Load: <c>POST /jobs/_mget</c> (every job of the batch, realtime, with the
/// <c>_seq_no</c>/<c>_primary_term</c> that make the write conditional) and, at the same time,
/// <c>POST /job-events/_mget</c> of the batch's update ids (realtime de-duplication).</item>
/// <item>Write: <c>POST /_bulk</c> of the changed jobs (<c>index</c> with
/// <c>if_seq_no</c>/<c>if_primary_term</c>, or <c>create</c>), then <c>POST /_bulk</c> of the
/// events of the jobs written.</item>
/// </list>
/// A job whose write lost a race (409) is loaded and merged again, up to
/// <see cref="ElasticsearchOptions.MaxConflictRetries"/> times. Only a late update that sorts
/// before the job's newest event makes the merge read the job's events (a refresh of
/// <c>job-events</c> and a search).
/// </summary>
/// <remarks>
/// Elasticsearch cannot write two documents atomically, so a job carries the events of its last
/// write in <c>pending-events</c> (an outbox, never larger than one batch): they count as known
/// for de-duplication and as part of the history until the next write of the job indexes them
/// again (idempotently: same <c>_id</c>) and replaces the outbox. Events are indexed only after
/// their job's write succeeded, so an event in <c>job-events</c> is always merged into its job.
/// </remarks>
internal sealed partial class UpdateBatch(
    ElasticsearchHttpClient client,
    IOptions<ElasticsearchOptions> options,
    TimeProvider time,
    JobOutbox outbox,
    ILogger<UpdateBatch> logger)
{
    private ElasticsearchHttpClient Client => client;

    private JobOutbox Outbox => outbox;

    /// <summary>The job document's outbox field (not part of <see cref="JobDocument"/>; not indexed).</summary>
    public const string PendingField = "pending-events";

    public Task<IReadOnlyList<UpdateResult>> ApplyAsync(IndexLayout layout, IReadOnlyList<JobUpdate> updates, CancellationToken cancellationToken) =>
        UpdateBatches.ApplyAsync(updates, time.GetUtcNow(), new Backend(this, layout), options.Value.MaxConflictRetries, cancellationToken);

    /// <summary>The source of a job document with its outbox of history events and, when it has one, its outbox of job events (<see cref="JobOutbox"/>).</summary>
    internal static byte[] JobSource(JobDocument job, IReadOnlyList<JobEvent> pending, JobOutbox.State? outbox = null)
    {
        var node = JsonSerializer.SerializeToNode(job, JobsJsonContext.Default.JobDocument)!.AsObject();
        node[PendingField] = JsonSerializer.SerializeToNode(pending.ToList(), JobsJsonContext.Default.ListJobEvent);
        if (outbox is not null)
        {
            JobOutbox.WriteTo(node, outbox);
        }

        return JsonSerializer.SerializeToUtf8Bytes(node, JsonObjectContext.Default.JsonObject);
    }

    /// <summary>The outbox of a stored job document.</summary>
    internal static IReadOnlyList<JobEvent> PendingOf(JsonElement source) =>
        source.TryGetProperty(PendingField, out var pending) && pending.ValueKind == JsonValueKind.Array
            ? pending.Deserialize(JobsJsonContext.Default.ListJobEvent) ?? []
            : [];

    /// <summary>A <c>job-events</c> document: the event as the history shows it, plus <c>job-id</c> and the sort <c>key</c>.</summary>
    internal static byte[] EventDocument(string jobId, JobEvent e)
    {
        var document = new JsonObject { ["job-id"] = jobId, ["key"] = StoredEvents.SortKey(e) };
        foreach (var (name, value) in JsonSerializer.SerializeToNode(e, JobsJsonContext.Default.JobEvent)!.AsObject().ToList())
        {
            document[name] = value?.DeepClone();
        }

        return JsonSerializer.SerializeToUtf8Bytes(document, JsonObjectContext.Default.JsonObject);
    }

    /// <summary>Indexes events (idempotent: same <c>_id</c>, same document); those refused for a passing reason are sent again a few times.</summary>
    internal async Task IndexEventsAsync(IndexLayout layout, IReadOnlyList<(string JobId, JobEvent Event)> events, CancellationToken cancellationToken)
    {
        var operations = events
            .Select(e => new BulkOperation(BulkAction.Index, layout.Events.Alias, StoredEvents.DocumentId(e.JobId, e.Event), EventDocument(e.JobId, e.Event)))
            .ToList();
        for (var attempt = 0; operations.Count > 0; attempt++)
        {
            var items = await client.BulkAsync(operations, cancellationToken);
            var again = new List<BulkOperation>();
            for (var i = 0; i < operations.Count; i++)
            {
                if (items[i].Succeeded)
                {
                    continue;
                }

                if ((RetryPolicy.RetryableStatuses.Contains(items[i].Status) || items[i].Status >= 500) && attempt < options.Value.MaxConflictRetries)
                {
                    again.Add(operations[i]);
                }
                else
                {
                    LogEventRefused(operations[i].Id, items[i].Status, ElasticsearchError.FromElement(items[i].Error)?.ToString());
                }
            }

            operations = again;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event {EventId} was not indexed in job-events ({Status} {Error}); its job's outbox keeps it until the job's next write")]
    private partial void LogEventRefused(string eventId, int status, string? error);

    /// <summary>The version a write checks: the job's sequence number and primary term, its outboxes then, and the job as loaded.</summary>
    private sealed record Version(long SeqNo, long PrimaryTerm, IReadOnlyList<JobEvent> Pending, JobOutbox.State Outbox, JobDocument Job);

    private sealed class Backend(UpdateBatch batch, IndexLayout layout) : IMergeBackend
    {
        private readonly Dictionary<string, IReadOnlyList<JobEvent>> _pending = new(StringComparer.Ordinal);

        private ElasticsearchHttpClient Client => batch.Client;

        public async Task<IReadOnlyDictionary<string, LoadedJob>> LoadAsync(IReadOnlyList<JobLookup> jobs, CancellationToken cancellationToken)
        {
            var eventIds = jobs.SelectMany(j => j.UpdateIds.Select(u => StoredEvents.MergedId(j.JobId, u))).ToList();
            var jobsRead = Client.MultiGetAsync(layout.Jobs.Alias, jobs.Select(j => j.JobId).ToList(), cancellationToken);
            var eventsRead = Client.MultiGetAsync(layout.Events.Alias, eventIds, cancellationToken);
            var (jobsResponse, eventsResponse) = (await jobsRead, await eventsRead);
            if (jobsResponse.Status != 200)
            {
                throw jobsResponse.Unexpected("Reading the jobs of an update batch");
            }

            if (eventsResponse.Status != 200)
            {
                throw eventsResponse.Unexpected("Looking up the update ids of an update batch");
            }

            var indexed = eventsResponse.Read(EsJsonContext.Default.MultiGetResponse).Docs
                .Where(d => d.Found && d.Id is not null)
                .Select(d => d.Id!)
                .ToHashSet(StringComparer.Ordinal);
            var docs = jobsResponse.Read(EsJsonContext.Default.MultiGetResponse).Docs
                .Where(d => d.Id is not null)
                .GroupBy(d => d.Id!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

            var loaded = new Dictionary<string, LoadedJob>(StringComparer.Ordinal);
            foreach (var lookup in jobs)
            {
                docs.TryGetValue(lookup.JobId, out var doc);
                if (doc is null || doc.Error is { ValueKind: not JsonValueKind.Null })
                {
                    loaded[lookup.JobId] = new LoadedJob(null, null, new HashSet<string>(), ElasticsearchError.FromElement(doc?.Error)?.ToString() ?? "no answer for it");
                }
                else if (!doc.Found)
                {
                    loaded[lookup.JobId] = new LoadedJob(null, null, new HashSet<string>());
                }
                else if (doc is { Source: { } source, SeqNo: { } seqNo, PrimaryTerm: { } primaryTerm })
                {
                    var pending = PendingOf(source);
                    _pending[lookup.JobId] = pending;
                    var known = lookup.UpdateIds
                        .Where(u => indexed.Contains(StoredEvents.MergedId(lookup.JobId, u)) || pending.Any(e => e.IsMerged && e.Id == u))
                        .ToHashSet(StringComparer.Ordinal);
                    var job = ElasticsearchJobStore.ParseJob(lookup.JobId, source);
                    loaded[lookup.JobId] = new LoadedJob(job, new Version(seqNo, primaryTerm, pending, JobOutbox.Read(source), job), known);
                }
                else
                {
                    throw new StoreUnavailableException(
                        $"POST /{layout.Jobs.Alias}/_mget returned job {lookup.JobId} without its _source, _seq_no and _primary_term; a conditional write needs all three.");
                }
            }

            return loaded;
        }

        public async Task<IReadOnlyList<JobEvent>> LoadHistoryAsync(string jobId, CancellationToken cancellationToken)
        {
            // Rare (an update older than the job's newest event): worth a refresh, so the search sees every indexed event.
            var refreshed = await Client.RefreshAsync(layout.Events.Alias, cancellationToken);
            if (!refreshed.IsSuccess)
            {
                throw refreshed.Unexpected($"Refreshing {layout.Events.Alias} to replay job {jobId}");
            }

            var events = new Dictionary<string, JobEvent>(StringComparer.Ordinal);
            string? after = null;
            do
            {
                var page = await EventPages.SearchAsync(Client, layout, jobId, after, 1_000, cancellationToken);
                foreach (var e in page.Events)
                {
                    events[StoredEvents.DocumentId(jobId, e)] = e;
                }

                after = page.Next;
            }
            while (after is not null);

            foreach (var e in _pending.GetValueOrDefault(jobId) ?? [])
            {
                events[StoredEvents.DocumentId(jobId, e)] = e;
            }

            return [.. events.Values];
        }

        public async Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<JobChange> changes, CancellationToken cancellationToken)
        {
            // Each write carries its job's unpublished events forward and appends this change's.
            var outboxes = changes.Select(c => c.Version is Version v
                    ? batch.Outbox.Next(v.Outbox, v.Job, Core.Notifications.ChangeClassifier.Classify(v.Job, c.Job, c.Events))
                    : batch.Outbox.Next(JobOutbox.State.Empty, null, Core.Notifications.ChangeClassifier.Classify(null, c.Job, c.Events)))
                .ToList();
            var operations = changes.Select((c, i) => c.Version is Version v
                    ? new BulkOperation(BulkAction.Index, layout.Jobs.Alias, c.JobId, JobSource(c.Job, c.Events, outboxes[i]), v.SeqNo, v.PrimaryTerm)
                    : new BulkOperation(BulkAction.Create, layout.Jobs.Alias, c.JobId, JobSource(c.Job, c.Events, outboxes[i])))
                .ToList();
            var items = await Client.BulkAsync(operations, cancellationToken);
            var results = new WriteResult[changes.Count];
            var events = new List<(string, JobEvent)>();
            var published = new List<JobOutbox.Written>();
            for (var i = 0; i < changes.Count; i++)
            {
                var item = items[i];
                var error = ElasticsearchError.FromElement(item.Error);
                results[i] = item.Succeeded ? WriteResult.Written
                    : item.Status == 409 ? new WriteResult(WriteStatus.Conflict)
                    : RetryPolicy.RetryableStatuses.Contains(item.Status) || item.Status >= 500
                        ? new WriteResult(WriteStatus.Retry, $"Elasticsearch did not take the write this time ({item.Status} {error})")
                        : new WriteResult(WriteStatus.Refused, $"Elasticsearch refused the job document ({item.Status} {error})");
                if (item.Succeeded)
                {
                    // The outbox this write replaced first, then the new events (which win on the same _id).
                    var replaced = (changes[i].Version as Version)?.Pending ?? [];
                    events.AddRange(replaced.Concat(changes[i].Events).Select(e => (changes[i].JobId, e)));
                    if (item is { SeqNo: { } seqNo, PrimaryTerm: { } term })
                    {
                        published.Add(new JobOutbox.Written(changes[i].JobId, changes[i].Job, changes[i].Events, outboxes[i], seqNo, term));
                    }
                }
            }

            if (events.Count > 0)
            {
                await batch.IndexEventsAsync(layout, events, cancellationToken);
            }

            // Acknowledged: the events are durable in their jobs. Publishing them is the next step, not a condition.
            await batch.Outbox.PublishAndClearAsync(layout, published, cancellationToken);

            return results;
        }
    }
}
