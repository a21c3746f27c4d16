using System.Globalization;
using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Merging;
using Jobs.Core.Storage;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// The embedded store's <c>job-events</c>: one Lucene document per event, keyed by
/// <see cref="StoredEvents.DocumentId"/>, with the job id, the history's sort key (doc values only) and the
/// event's JSON. Like <see cref="JobIndex"/>, a record's events are staged before the record is
/// durable and applied to Lucene after, through a <see cref="TrackingIndexWriter"/> whose
/// generations a <see cref="ControlledRealTimeReopenThread{T}"/> reopens to (at least once a
/// second, at once when a reader waits). A history read waits for the generation of its job's
/// last applied record (realtime); the de-duplication lookup, which runs on every update, does
/// not wait: the staged ids are consulted first. Both staged maps lose their entries as a reopen
/// covers them.
/// </summary>
internal sealed class EventIndex : IDisposable
{
    private const string IdField = "_id";
    private const string JobField = "job";
    private const string KeyField = "key";
    private const string SourceField = "_source";

    private readonly LiveIndex _index;
    private readonly StagedWrites<Batch> _ids;
    private readonly StagedWrites<Batch> _jobs;
    private readonly int _maxStaged;
    private readonly EventFields _fields = new();

    public EventIndex(string path, int maxStaged, Action<Exception> failed, ILogger logger, double bufferMiB = 16)
    {
        _maxStaged = maxStaged;
        _index = new LiveIndex(path, bufferMiB, null, failed, logger);
        _ids = new StagedWrites<Batch>(_index.Tracking, b => b.Generation);
        _jobs = new StagedWrites<Batch>(_index.Tracking, b => b.Generation);
        _index.Start("job-events-reopen", _ids, _jobs);
    }

    /// <summary>The write-ahead log sequence the last commit covers.</summary>
    public long CommittedSequence => _index.CommittedSequence;

    /// <summary>How many event ids are not yet searchable.</summary>
    public int StagedCount => _ids.Count;

    /// <summary>Makes a record's events known to de-duplication and history reads (before the record is durable).</summary>
    public void Stage(Batch batch)
    {
        foreach (var e in batch.Events)
        {
            _ids.Put(e.DocumentId, batch);
        }

        _jobs.Put(batch.JobId, batch);
    }

    /// <summary>Writes (or replaces) a durable record's events in Lucene (in log order; one thread at a time).</summary>
    public void Apply(Batch batch)
    {
        long generation = 0;
        var fields = _fields;
        foreach (var e in batch.Events)
        {
            fields.Id.SetStringValue(e.DocumentId);
            fields.Job.SetStringValue(batch.JobId);
            fields.KeyValues.SetBytesValue(new BytesRef(e.SortKey));
            fields.Source.SetBytesValue(e.Json);
            generation = _index.Tracking.UpdateDocument(new Term(IdField, e.DocumentId), fields.Document);
        }

        batch.Generation = generation;
        if (_ids.Count > _maxStaged)
        {
            _index.WaitForGeneration(generation);
        }
    }

    /// <summary>Makes everything applied so far searchable (after recovery, which applies without staging).</summary>
    public void Refresh() => _index.Searchers.MaybeRefreshBlocking();

    /// <summary>Whether a document with this id exists (realtime, without waiting for a reopen).</summary>
    public bool Contains(string documentId)
    {
        if (_ids.ContainsKey(documentId))
        {
            return true;
        }

        var searcher = _index.Searchers.Acquire();
        try
        {
            var term = new Term(IdField, documentId);
            foreach (var leaf in searcher.IndexReader.Leaves)
            {
                var docs = leaf.AtomicReader.GetTermDocsEnum(term);
                if (docs is not null && docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            _index.Searchers.Release(searcher);
        }
    }

    /// <summary>
    /// Which of these document ids exist (realtime, without waiting for a reopen): staged first,
    /// then each segment's terms walked once in id order for the rest (the de-duplication lookup
    /// of a whole batch of updates at once).
    /// </summary>
    public HashSet<string> ContainsAll(IReadOnlyCollection<string> documentIds)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>(documentIds.Count);
        foreach (var id in documentIds)
        {
            if (_ids.ContainsKey(id))
            {
                found.Add(id);
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        missing.Sort(StringComparer.Ordinal);
        var searcher = _index.Searchers.Acquire();
        try
        {
            foreach (var (id, _, _) in TermLookups.Find(searcher.IndexReader, IdField, missing))
            {
                found.Add(id);
            }
        }
        finally
        {
            _index.Searchers.Release(searcher);
        }

        return found;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> events of the job after the sort key <paramref name="after"/>,
    /// oldest first (realtime). The job's last write may not be durable yet (its events reach
    /// Lucene only then): a merge replaying this history must see them, so the read waits for that
    /// record, asynchronously (and pushes it to disk, as its writer may not have yet), then for the
    /// reopen that makes it searchable.
    /// </summary>
    public async Task<HistoryPage> PageAsync(string jobId, string? after, int limit)
    {
        long generation = 0;
        if (_jobs.TryGet(jobId, out var staged))
        {
            if (staged.Generation == 0 && staged.Durable is { } durable)
            {
                staged.Signal?.Invoke();
                await durable.ConfigureAwait(false);
            }

            // Once durable the record is applied; a later write staged meanwhile is a later version.
            generation = staged.Generation;
        }

        return Page(jobId, after, limit, generation);
    }

    private HistoryPage Page(string jobId, string? after, int limit, long generation)
    {
        if (generation != 0)
        {
            _index.WaitForGeneration(generation);
        }

        // The job's events, those after the key compared on the sort key's doc values: the key is
        // not indexed as a term (a unique term per event, to flush and merge on every update).
        Query query = new TermQuery(new Term(JobField, jobId));
        if (after is not null)
        {
            query = new FilteredQuery(query, FieldCacheRangeFilter.NewStringRange(KeyField, after, null, false, true), FilteredQuery.QUERY_FIRST_FILTER_STRATEGY);
        }

        var searcher = _index.Searchers.Acquire();
        try
        {
            var top = searcher.Search(query, limit + 1, new Sort(new SortField(KeyField, SortFieldType.STRING)));
            var count = Math.Min(limit, top.ScoreDocs.Length);
            var events = new List<JobEvent>(count);
            string? last = null;
            for (var i = 0; i < count; i++)
            {
                var hit = (FieldDoc)top.ScoreDocs[i];
                events.Add(Read(searcher.IndexReader, hit.Doc));
                last = ((BytesRef)hit.Fields[0]).Utf8ToString();
            }

            return new HistoryPage(events, top.ScoreDocs.Length > limit ? last : null);
        }
        finally
        {
            _index.Searchers.Release(searcher);
        }
    }

    /// <summary>Every event of the job, oldest first (realtime, as <see cref="PageAsync"/>).</summary>
    public async Task<IReadOnlyList<JobEvent>> AllAsync(string jobId)
    {
        var all = new List<JobEvent>();
        var page = await PageAsync(jobId, null, 10_000).ConfigureAwait(false);
        all.AddRange(page.Events);
        while (page.Next is { } after)
        {
            // The first page waited for the job's last write; the searcher only moves on from there.
            page = Page(jobId, after, 10_000, 0);
            all.AddRange(page.Events);
        }

        return all;
    }

    /// <summary>Durably commits the index, recording the log sequence it covers.</summary>
    public void Commit(long sequence) => _index.Commit(sequence);

    /// <summary>Closes without committing (a failed store, a crash in tests).</summary>
    public void Abandon() => _index.Abandon();

    public void Dispose() => _index.Dispose();

    public static byte[] ToJson(JobEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, JobsJsonContext.Default.JobEvent);

    private static JobEvent Read(IndexReader reader, int doc)
    {
        var visitor = new DocumentStoredFieldVisitor(SourceField);
        reader.Document(doc, visitor);
        var bytes = visitor.Document.GetBinaryValue(SourceField);
        return JsonSerializer.Deserialize(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length), JobsJsonContext.Default.JobEvent)
            ?? throw new JsonException("A stored event is null.");
    }

    /// <summary>
    /// One event document's fields, reused for every event (applies run one at a time): a new
    /// <see cref="StringField"/> builds a token stream per value under a process-wide lock.
    /// </summary>
    private sealed class EventFields
    {
        public EventFields()
        {
            Document = [Id, Job, KeyValues, Source];
        }

        public Field Id { get; } = new StringField(IdField, "", Field.Store.NO);

        public Field Job { get; } = new StringField(JobField, "", Field.Store.NO);

        public Field KeyValues { get; } = new SortedDocValuesField(KeyField, new BytesRef());

        public Field Source { get; } = new StoredField(SourceField, []);

        public Document Document { get; }
    }

    /// <summary>The events of one log record: staged together, applied together, with the generation of the last.</summary>
    internal sealed class Batch(string jobId, IReadOnlyList<Storage.JobChangeRecord.Event> events)
    {
        private long _generation;

        public string JobId { get; } = jobId;

        public IReadOnlyList<Storage.JobChangeRecord.Event> Events { get; } = events;

        /// <summary>Completes once the batch's record is durable and applied (set before the batch is staged).</summary>
        public Task? Durable { get; set; }

        /// <summary>Wakes the log's flusher, so a reader waiting for <see cref="Durable"/> does not wait for the writer to.</summary>
        public Action? Signal { get; set; }

        public long Generation
        {
            get => Volatile.Read(ref _generation);
            set => Volatile.Write(ref _generation, value);
        }
    }
}
