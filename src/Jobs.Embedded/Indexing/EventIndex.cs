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
/// <see cref="StoredEvents.DocumentId"/>, with the job id, the history's sort key and the
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

    private readonly string _path;
    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly TrackingIndexWriter _tracking;
    private readonly GuardedSearcherManager _searchers;
    private readonly ControlledRealTimeReopenThread<IndexSearcher> _reopener;
    private readonly StagedWrites<Batch> _ids;
    private readonly StagedWrites<Batch> _jobs;
    private readonly int _maxStaged;

    public EventIndex(string path, int maxStaged, Action<Exception> failed, ILogger logger)
    {
        _path = path;
        _maxStaged = maxStaged;
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(path);
        try
        {
            _writer = IndexFiles.OpenWriter(_directory, () => new IndexWriterConfig(JobIndex.Version, JobIndex.NewAnalyzer())
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                RAMBufferSizeMB = 16,
                UseCompoundFile = false,
            }, logger);
        }
        catch
        {
            _directory.Dispose();
            throw;
        }

        _tracking = new TrackingIndexWriter(_writer);
        _searchers = new GuardedSearcherManager(_writer, reader => new IndexSearcher(reader), failed);
        _ids = new StagedWrites<Batch>(_tracking, b => b.Generation);
        _jobs = new StagedWrites<Batch>(_tracking, b => b.Generation);
        _searchers.AddListener(_ids);
        _searchers.AddListener(_jobs);
        CommittedSequence = _writer.CommitData.TryGetValue(JobIndex.CommitSequenceKey, out var text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;
        _reopener = new ControlledRealTimeReopenThread<IndexSearcher>(_tracking, _searchers, 1.0, 0.0)
        {
            IsBackground = true,
            Name = "job-events-reopen",
        };
        _reopener.Start();
    }

    /// <summary>The write-ahead log sequence the last commit covers.</summary>
    public long CommittedSequence { get; private set; }

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
        foreach (var e in batch.Events)
        {
            var document = new Document
            {
                new StringField(IdField, e.DocumentId, Field.Store.NO),
                new StringField(JobField, batch.JobId, Field.Store.NO),
                new StringField(KeyField, e.SortKey, Field.Store.NO),
                new SortedDocValuesField(KeyField, new BytesRef(e.SortKey)),
                new StoredField(SourceField, e.Json),
            };
            generation = _tracking.UpdateDocument(new Term(IdField, e.DocumentId), document);
        }

        batch.Generation = generation;
        if (_ids.Count > _maxStaged)
        {
            _reopener.WaitForGeneration(generation);
        }
    }

    /// <summary>Makes everything applied so far searchable (after recovery, which applies without staging).</summary>
    public void Refresh() => _searchers.MaybeRefreshBlocking();

    /// <summary>Whether a document with this id exists (realtime, without waiting for a reopen).</summary>
    public bool Contains(string documentId)
    {
        if (_ids.ContainsKey(documentId))
        {
            return true;
        }

        var searcher = _searchers.Acquire();
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
            _searchers.Release(searcher);
        }
    }

    /// <summary>Up to <paramref name="limit"/> events of the job after the sort key <paramref name="after"/>, oldest first (realtime).</summary>
    public HistoryPage Page(string jobId, string? after, int limit)
    {
        if (_jobs.TryGet(jobId, out var staged))
        {
            // The job's last write may not be durable yet: a merge replaying this history must see
            // its events, so wait for the record (and push it to disk, as its writer may not have yet).
            if (staged.Generation == 0 && staged.Durable is { } durable)
            {
                staged.Signal?.Invoke();
                durable.GetAwaiter().GetResult();
            }

            if (staged.Generation != 0)
            {
                _reopener.WaitForGeneration(staged.Generation);
            }
        }

        var query = new BooleanQuery { { new TermQuery(new Term(JobField, jobId)), Occur.MUST } };
        if (after is not null)
        {
            query.Add(new TermRangeQuery(KeyField, new BytesRef(after), null, false, true), Occur.MUST);
        }

        var searcher = _searchers.Acquire();
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
            _searchers.Release(searcher);
        }
    }

    /// <summary>Every event of the job, oldest first (realtime).</summary>
    public IReadOnlyList<JobEvent> All(string jobId)
    {
        var all = new List<JobEvent>();
        string? after = null;
        do
        {
            var page = Page(jobId, after, 10_000);
            all.AddRange(page.Events);
            after = page.Next;
        }
        while (after is not null);

        return all;
    }

    /// <summary>Durably commits the index, recording the log sequence it covers.</summary>
    public void Commit(long sequence)
    {
        _writer.SetCommitData(new Dictionary<string, string>
        {
            [JobIndex.CommitSequenceKey] = sequence.ToString(CultureInfo.InvariantCulture),
        });
        _writer.Commit();
        Storage.DirectorySync.Fsync(_path);
        CommittedSequence = sequence;
    }

    /// <summary>Closes without committing (a failed store, a crash in tests).</summary>
    public void Abandon()
    {
        _reopener.Dispose();
        _searchers.Dispose();
        try
        {
            _writer.Rollback();
        }
        finally
        {
            _directory.Dispose();
        }
    }

    public void Dispose()
    {
        // The reopen thread is joined first, so nothing writes into the directory once this returns.
        _reopener.Dispose();
        _searchers.Dispose();
        try
        {
            _writer.Dispose();
        }
        finally
        {
            _directory.Dispose();
        }
    }

    public static byte[] ToJson(JobEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, JobsJsonContext.Default.JobEvent);

    private static JobEvent Read(IndexReader reader, int doc)
    {
        var visitor = new DocumentStoredFieldVisitor(SourceField);
        reader.Document(doc, visitor);
        var bytes = visitor.Document.GetBinaryValue(SourceField);
        return JsonSerializer.Deserialize(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length), JobsJsonContext.Default.JobEvent)
            ?? throw new JsonException("A stored event is null.");
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
