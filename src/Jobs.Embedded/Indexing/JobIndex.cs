using System.Globalization;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// The Lucene index of jobs (one document per job, keyed by <c>_id</c>, with the log sequence
/// that wrote it) with read-your-writes. A write is first <see cref="Stage">staged</see> (it is
/// what reads of the job see from then on), then <see cref="Apply">applied</see> to Lucene once
/// its log record is durable, so the index never holds a change the log might lose. Lucene's own
/// generation tracking does the rest: every applied write gets the
/// <see cref="TrackingIndexWriter"/>'s generation, a <see cref="ControlledRealTimeReopenThread{T}"/>
/// reopens the searcher at least once a second and at once for a reader waiting for a
/// generation, and a refresh listener drops the staged entries the new searcher covers. So the
/// staged map holds only writes not yet searchable, bounded by <c>maxStaged</c> (past it the
/// writer waits for a reopen). Writes of one job are serialised by the caller.
/// </summary>
internal sealed class JobIndex : IDisposable
{
    public const string CommitSequenceKey = LiveIndex.CommitSequenceKey;
    public const string SequenceField = "_seq";
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly LiveIndex _index;
    private readonly ThreadLocal<JobDocumentBuilder> _builders;
    private readonly StagedWrites<StoredJob> _staged;
    private readonly int _maxStaged;
    private readonly IdCeiling _ceiling;
    private long _appliedGeneration;

    public JobIndex(string path, FieldCatalog catalog, int maxStaged, Action<Exception> failed, ILogger logger, double bufferMiB = 64)
    {
        _maxStaged = maxStaged;
        _index = new LiveIndex(path, bufferMiB, Similarity, failed, logger);
        _staged = new StagedWrites<StoredJob>(_index.Tracking, job => job.Generation);
        _builders = new ThreadLocal<JobDocumentBuilder>(() => new JobDocumentBuilder(catalog));
        var searcher = _index.Searchers.Acquire();
        try
        {
            _ceiling = IdCeiling.Open(_index.CommitData, searcher);
        }
        finally
        {
            _index.Searchers.Release(searcher);
        }

        _index.Start("jobs-reopen", _staged);
    }

    public static Similarity Similarity { get; } = new ElasticsearchSimilarity();

    /// <summary>The write-ahead log sequence the last commit covers.</summary>
    public long CommittedSequence => _index.CommittedSequence;

    /// <summary>How many writes are not yet searchable (bounded by the store's <c>MaxStagedWrites</c>).</summary>
    public int StagedCount => _staged.Count;

    /// <summary>Elasticsearch's <c>standard</c> analyser: the standard tokenizer and lower-casing, no stop words.</summary>
    public static StandardAnalyzer NewAnalyzer() => new(Version, CharArraySet.Empty);

    /// <summary>Makes the job's new state what reads see (before its log record is durable).</summary>
    public void Stage(string id, StoredJob job)
    {
        _ceiling.Raise(id);
        _staged.Put(id, job);
    }

    /// <summary>
    /// Whether no job with this id can exist, known without a lookup: the id is in canonical UUID
    /// form and above every such id written so far (<see cref="IdCeiling"/>). False means "look it up".
    /// </summary>
    public bool CertainlyAbsent(string id) => _ceiling.IsAbove(id);

    /// <summary>Puts a durable state into Lucene (in log order; one thread at a time).</summary>
    public void Apply(string id, StoredJob job)
    {
        // Replay applies without staging.
        _ceiling.Raise(id);
        var document = _builders.Value!.Build(id, job.Json);
        document.Add(new StoredField(SequenceField, job.Sequence));
        var generation = _index.Tracking.UpdateDocument(new Term(FieldCatalog.IdField, id), document);
        job.Generation = generation;
        Volatile.Write(ref _appliedGeneration, generation);
        if (_staged.Count > _maxStaged)
        {
            // Back-pressure: the reopen this waits for drops every staged write it covers.
            _index.WaitForGeneration(generation);
        }
    }

    /// <summary>Makes everything applied so far searchable (after recovery, which applies without staging).</summary>
    public void Refresh() => _index.Searchers.MaybeRefreshBlocking();

    /// <summary>The current state of a job, or null. Realtime.</summary>
    public StoredJob? Find(string id)
    {
        // Staged first, then the searcher: an entry is dropped only once a reopened searcher covers it.
        if (_staged.TryGet(id, out var staged))
        {
            return staged;
        }

        var searcher = _index.Searchers.Acquire();
        try
        {
            return Read(searcher, id);
        }
        finally
        {
            _index.Searchers.Release(searcher);
        }
    }

    /// <summary>
    /// The current states of several jobs (null: no such job), realtime like <see cref="Find"/>:
    /// staged first, then one searcher for the rest, each segment's terms walked once in id order
    /// (a batch of updates reads its jobs with one terms enumeration per segment, not one per job).
    /// </summary>
    public Dictionary<string, StoredJob?> FindAll(IReadOnlyCollection<string> ids)
    {
        var found = new Dictionary<string, StoredJob?>(ids.Count, StringComparer.Ordinal);
        var missing = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            if (_staged.TryGet(id, out var staged))
            {
                found[id] = staged;
            }
            else if (!found.ContainsKey(id))
            {
                found[id] = null;
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
            foreach (var (id, doc, reader) in TermLookups.Find(searcher.IndexReader, FieldCatalog.IdField, missing))
            {
                found[id] = ReadStored(reader, doc);
            }
        }
        finally
        {
            _index.Searchers.Release(searcher);
        }

        return found;
    }

    /// <summary>Read before <see cref="Find"/>, it lets <see cref="FindAgain"/> skip the index (see <see cref="StagedWrites{T}.Drops"/>).</summary>
    public long Drops => _staged.Drops;

    /// <summary>
    /// The current state of a job found earlier as <paramref name="found"/> by a <see cref="Find"/>
    /// preceded by reading <paramref name="drops"/>: the staged write if there is one, that same
    /// state if no refresh dropped staged writes since (a write of the job would still be staged),
    /// else a new lookup. Saves a conditional write the second index read and parse of the job.
    /// </summary>
    public StoredJob? FindAgain(string id, StoredJob? found, long drops)
    {
        if (_staged.TryGet(id, out var staged))
        {
            return staged;
        }

        return _staged.Drops == drops ? found : Find(id);
    }

    /// <summary>A searcher that sees every write applied before the call. Release it with <see cref="Release"/>.</summary>
    public IndexSearcher AcquireFresh()
    {
        _index.WaitForGeneration(Volatile.Read(ref _appliedGeneration));
        return _index.Searchers.Acquire();
    }

    public void Release(IndexSearcher searcher) => _index.Searchers.Release(searcher);

    /// <summary>Durably commits the index, recording the log sequence it covers (every record up to it was applied).</summary>
    public void Commit(long sequence) => _index.Commit(sequence, new(IdCeiling.CommitKey, _ceiling.Greatest ?? ""));

    /// <summary>Closes without committing: the index on disk stays as of the last commit (a failed store, a crash in tests).</summary>
    public void Abandon()
    {
        try
        {
            _index.Abandon();
        }
        finally
        {
            _builders.Dispose();
        }
    }

    public void Dispose()
    {
        try
        {
            _index.Dispose();
        }
        finally
        {
            _builders.Dispose();
        }
    }

    private static StoredJob? Read(IndexSearcher searcher, string id)
    {
        var term = new Term(FieldCatalog.IdField, id);
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            var reader = leaf.AtomicReader;
            var docs = reader.GetTermDocsEnum(term);
            if (docs is null)
            {
                continue;
            }

            var doc = docs.NextDoc();
            if (doc != DocIdSetIterator.NO_MORE_DOCS)
            {
                return ReadStored(reader, doc);
            }
        }

        return null;
    }

    private static StoredJob ReadStored(AtomicReader reader, int doc)
    {
        var visitor = new DocumentStoredFieldVisitor(FieldCatalog.SourceField, SequenceField);
        reader.Document(doc, visitor);
        var bytes = visitor.Document.GetBinaryValue(FieldCatalog.SourceField);
        var sequence = visitor.Document.GetField(SequenceField)?.GetInt64Value() ?? 0;
        return new StoredJob(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length).ToArray(), sequence);
    }

    public static byte[] ReadSource(IndexReader reader, int doc)
    {
        var visitor = new DocumentStoredFieldVisitor(FieldCatalog.SourceField);
        reader.Document(doc, visitor);
        var bytes = visitor.Document.GetBinaryValue(FieldCatalog.SourceField);
        return bytes.Bytes.AsSpan(bytes.Offset, bytes.Length).ToArray();
    }
}
