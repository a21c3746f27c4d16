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
/// Applies a batch of updates in as few round trips as the cluster allows:
/// <list type="number">
/// <item><c>POST /jobs/_mget</c>: every job of the batch in one realtime read, with the
/// <c>_seq_no</c>/<c>_primary_term</c> that make the write conditional. Needed because the merge
/// rule (<see cref="JobMerger.Apply"/>) runs here, on the whole document, not in a script.</item>
/// <item><c>POST /_bulk</c>: per changed job an <c>index</c> action with
/// <c>if_seq_no</c>/<c>if_primary_term</c> (or a <c>create</c> for a job made from
/// <see cref="JobUpdate.CreateIfMissing"/>), plus an <c>index</c> action per new event into
/// <c>job-events</c> with <c>_id</c> = update id. Split only past
/// <see cref="ElasticsearchOptions.MaxBulkBytes"/>.</item>
/// </list>
/// A job whose write lost a race (item 409: another writer changed it since the read) is read
/// again and merged again — only those jobs — up to <see cref="ElasticsearchOptions.MaxConflictRetries"/>
/// times. A job item refused for a passing reason (429, 5xx) reports its updates as
/// <see cref="UpdateOutcomeKind.Retry"/>. So N updates cost 2 round trips whatever N, plus 2 per
/// round of conflicts, plus one per extra bulk body.
/// </summary>
/// <remarks>
/// The job document's own <c>events</c> are the history of record: a merge reads them, and a
/// duplicate update id changes nothing there, so it is never written again. <c>job-events</c>
/// is its searchable copy: each new event is written (as the merge saw it on arrival) with
/// <c>index</c>, so writing it again — after a conflict, or when an update once rejected for a
/// wrong token comes back with the right one — replaces it rather than failing.
/// </remarks>
internal sealed partial class UpdateBatch(
    ElasticsearchHttpClient client,
    IOptions<ElasticsearchOptions> options,
    TimeProvider time,
    ILogger<UpdateBatch> logger)
{
    public async Task<IReadOnlyList<UpdateResult>> ApplyAsync(IndexLayout layout, IReadOnlyList<JobUpdate> updates, CancellationToken cancellationToken)
    {
        var results = new UpdateResult?[updates.Count];
        var received = time.GetUtcNow();
        var pending = Group(updates);
        var pendingEvents = new List<BulkOperation>();

        for (var round = 0; pending.Count > 0 || pendingEvents.Count > 0; round++)
        {
            if (round > options.Value.MaxConflictRetries)
            {
                foreach (var job in pending)
                {
                    job.SetAll(results, UpdateOutcomeKind.Retry, "other writers kept changing the job meanwhile; send the update again");
                }

                if (pendingEvents.Count > 0)
                {
                    LogEventsNotWritten(pendingEvents.Count, layout.Events.Alias);
                }

                break;
            }

            var writes = new List<JobWrite>();
            if (pending.Count > 0)
            {
                var current = await ReadAsync(layout, pending, cancellationToken);
                foreach (var job in pending)
                {
                    if (Merge(layout, job, current, results, received) is { } write)
                    {
                        writes.Add(write);
                    }
                }
            }

            var operations = writes.SelectMany(w => w.Operations).Concat(pendingEvents).ToList();
            pending = [];
            pendingEvents = [];
            if (operations.Count == 0)
            {
                break;
            }

            var items = await client.BulkAsync(operations, cancellationToken);
            var next = 0;
            foreach (var write in writes)
            {
                var jobItem = items[next];
                Judge(write, jobItem, results, pending);
                for (var e = 1; e < write.Operations.Count; e++)
                {
                    KeepIfPassing(write.Operations[e], items[next + e], pendingEvents);
                }

                next += write.Operations.Count;
            }

            for (; next < operations.Count; next++)
            {
                KeepIfPassing(operations[next], items[next], pendingEvents);
            }

            if (pending.Count > 0)
            {
                LogConflicts(pending.Count, round + 1);
            }
        }

        return results.Select((r, i) => r ?? new UpdateResult(updates[i].Message.Id, updates[i].Message.JobId, UpdateOutcomeKind.Retry)).ToList();
    }

    /// <summary>The batch's updates by job, in the order each job first appears.</summary>
    private static List<JobUpdates> Group(IReadOnlyList<JobUpdate> updates)
    {
        var byJob = new Dictionary<string, JobUpdates>(StringComparer.Ordinal);
        var order = new List<JobUpdates>();
        for (var i = 0; i < updates.Count; i++)
        {
            var jobId = updates[i].Message.JobId;
            if (!byJob.TryGetValue(jobId, out var job))
            {
                job = new JobUpdates(jobId);
                byJob[jobId] = job;
                order.Add(job);
            }

            job.Add(i, updates[i]);
        }

        return order;
    }

    /// <summary>Round trip 1: the current jobs, realtime, with their versions.</summary>
    private async Task<Dictionary<string, GetResponse>> ReadAsync(IndexLayout layout, List<JobUpdates> jobs, CancellationToken cancellationToken)
    {
        var response = await client.MultiGetAsync(layout.Jobs.Alias, jobs.Select(j => j.JobId).ToList(), cancellationToken);
        if (response.Status != 200)
        {
            throw response.Unexpected("Reading the jobs of an update batch");
        }

        var docs = response.Read(EsJsonContext.Default.MultiGetResponse).Docs;
        var byId = new Dictionary<string, GetResponse>(StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            if (doc.Id is { } id)
            {
                byId[id] = doc;
            }
        }

        return byId;
    }

    /// <summary>Merges one job's updates into its current document; the write to make, or null when there is none.</summary>
    private static JobWrite? Merge(IndexLayout layout, JobUpdates job, Dictionary<string, GetResponse> current, UpdateResult?[] results, DateTimeOffset received)
    {
        current.TryGetValue(job.JobId, out var doc);
        if (doc is null || doc.Error is { ValueKind: not JsonValueKind.Null })
        {
            job.SetAll(results, UpdateOutcomeKind.Retry, $"the job could not be read ({ElasticsearchError.FromElement(doc?.Error)?.ToString() ?? "no answer for it"})");
            return null;
        }

        JobDocument baseline;
        Func<JobDocument, BulkOperation> jobOperation;
        if (doc is { Found: true, Source: { } source, SeqNo: { } seqNo, PrimaryTerm: { } primaryTerm })
        {
            baseline = ElasticsearchJobStore.ParseJob(job.JobId, source);
            jobOperation = merged => new(BulkAction.Index, layout.Jobs.Alias, job.JobId, JobsJson.ToUtf8(merged), seqNo, primaryTerm);
        }
        else if (doc.Found)
        {
            throw new StoreUnavailableException(
                $"POST /{layout.Jobs.Alias}/_mget returned job {job.JobId} without its _source, _seq_no and _primary_term; a conditional write needs all three.");
        }
        else if (job.CreateIfMissing is { } created)
        {
            baseline = created;
            jobOperation = merged => new(BulkAction.Create, layout.Jobs.Alias, job.JobId, JobsJson.ToUtf8(merged));
        }
        else
        {
            job.SetAll(results, UpdateOutcomeKind.JobNotFound, null);
            return null;
        }

        var merge = JobMerger.Apply(baseline, job.Updates, received);
        job.Set(results, merge.Results);
        if (!merge.Changed && doc.Found)
        {
            return null;
        }

        var fresh = merge.Results
            .Where(r => r.Outcome is UpdateOutcomeKind.Applied or UpdateOutcomeKind.Superseded or UpdateOutcomeKind.Rejected)
            .Select(r => r.UpdateId)
            .ToHashSet(StringComparer.Ordinal);
        List<BulkOperation> operations = [jobOperation(merge.Job)];
        operations.AddRange(merge.Job.Events
            .Where(e => fresh.Contains(e.Id))
            .Select(e => new BulkOperation(BulkAction.Index, layout.Events.Alias, e.Id, EventDocument(job.JobId, e))));
        return new JobWrite(job, operations);
    }

    /// <summary>What the job item of the bulk answer means for its updates.</summary>
    private static void Judge(JobWrite write, BulkItemResult item, UpdateResult?[] results, List<JobUpdates> conflicts)
    {
        if (item.Succeeded)
        {
            return; // the merge's results stand
        }

        var error = ElasticsearchError.FromElement(item.Error);
        if (item.Status == 409)
        {
            conflicts.Add(write.Job);
        }
        else if (RetryPolicy.RetryableStatuses.Contains(item.Status) || item.Status >= 500)
        {
            write.Job.SetAll(results, UpdateOutcomeKind.Retry, $"Elasticsearch did not take the write this time ({item.Status} {error})");
        }
        else
        {
            write.Job.SetAll(results, UpdateOutcomeKind.Rejected, $"Elasticsearch refused the job document ({item.Status} {error})");
        }
    }

    /// <summary>An event the cluster could not take for a passing reason is sent again with the next round.</summary>
    private void KeepIfPassing(BulkOperation operation, BulkItemResult item, List<BulkOperation> pendingEvents)
    {
        if (item.Succeeded)
        {
            return;
        }

        if (RetryPolicy.RetryableStatuses.Contains(item.Status) || item.Status >= 500)
        {
            pendingEvents.Add(operation);
        }
        else
        {
            LogEventRefused(operation.Id, item.Status, ElasticsearchError.FromElement(item.Error)?.ToString());
        }
    }

    /// <summary>A <c>job-events</c> document: the event as the job's history holds it, plus <c>job-id</c>.</summary>
    internal static byte[] EventDocument(string jobId, JobEvent e)
    {
        var document = new JsonObject { ["job-id"] = jobId };
        foreach (var (name, value) in JsonSerializer.SerializeToNode(e, JobsJsonContext.Default.JobEvent)!.AsObject().ToList())
        {
            document[name] = value?.DeepClone();
        }

        return JsonSerializer.SerializeToUtf8Bytes(document, JsonObjectContext.Default.JsonObject);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} jobs changed under an update batch (round {Round}); reading and merging them again")]
    private partial void LogConflicts(int count, int round);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event {UpdateId} was refused by job-events ({Status} {Error}); the job's own history has it")]
    private partial void LogEventRefused(string updateId, int status, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} events could not be written to {Index}; the jobs' own histories have them")]
    private partial void LogEventsNotWritten(int count, string index);

    /// <summary>One job's updates and where they sit in the batch.</summary>
    private sealed class JobUpdates(string jobId)
    {
        private readonly List<int> _positions = [];
        private readonly List<JobUpdate> _updates = [];

        public string JobId { get; } = jobId;

        public IReadOnlyList<JobUpdate> Updates => _updates;

        public JobDocument? CreateIfMissing => _updates.Select(u => u.CreateIfMissing).FirstOrDefault(d => d is not null);

        public void Add(int position, JobUpdate update)
        {
            _positions.Add(position);
            _updates.Add(update);
        }

        public void Set(UpdateResult?[] results, IReadOnlyList<UpdateResult> merged)
        {
            for (var i = 0; i < _positions.Count; i++)
            {
                results[_positions[i]] = merged[i];
            }
        }

        public void SetAll(UpdateResult?[] results, UpdateOutcomeKind outcome, string? reason)
        {
            for (var i = 0; i < _positions.Count; i++)
            {
                results[_positions[i]] = new UpdateResult(_updates[i].Message.Id, JobId, outcome, reason);
            }
        }
    }

    /// <summary>A job's bulk operations: the job first, then its new events.</summary>
    private sealed record JobWrite(JobUpdates Job, IReadOnlyList<BulkOperation> Operations);
}
