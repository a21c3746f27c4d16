using System.Collections.Concurrent;
using System.Globalization;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// The Lucene index of jobs (one document per job, keyed by <c>_id</c>) with read-your-writes:
/// every job written since the last searcher refresh is kept in a live map, consulted before the
/// searcher, and evicted only once a refreshed searcher covers it. Writes must be serialised by
/// the caller; reads and refreshes are thread-safe.
/// </summary>
internal sealed class JobIndex : IDisposable
{
    public const string CommitSequenceKey = "wal-sequence";
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Past this many unrefreshed writes the writer asks for a background refresh (bounds the live map).</summary>
    private const int LiveRefreshThreshold = 20_000;

    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly ThreadLocal<JobDocumentBuilder> _builders;
    private readonly ConcurrentDictionary<string, StoredJob> _live = new(StringComparer.Ordinal);
    private readonly object _refreshGate = new();
    private long _writeGeneration;
    private long _refreshedGeneration;
    private int _backgroundRefresh;

    public JobIndex(string path, FieldCatalog catalog)
    {
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(path);
        var config = new IndexWriterConfig(Version, NewAnalyzer())
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = Similarity,
            RAMBufferSizeMB = 64,
        };
        _writer = new IndexWriter(_directory, config);
        _searchers = new SearcherManager(_writer, true, new JobSearcherFactory());
        _builders = new ThreadLocal<JobDocumentBuilder>(() => new JobDocumentBuilder(catalog));
        CommittedSequence = _writer.CommitData.TryGetValue(CommitSequenceKey, out var text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;
    }

    public static Similarity Similarity { get; } = new ElasticsearchSimilarity();

    /// <summary>The write-ahead log sequence the last commit covers.</summary>
    public long CommittedSequence { get; private set; }

    public int LiveCount => _live.Count;

    /// <summary>Elasticsearch's <c>standard</c> analyser: the standard tokenizer and lower-casing, no stop words.</summary>
    public static StandardAnalyzer NewAnalyzer() => new(Version, CharArraySet.Empty);

    /// <summary>Indexes the job's new state (callers serialise the writes of one job).</summary>
    public void Write(string id, StoredJob job)
    {
        _writer.UpdateDocument(new Term(FieldCatalog.IdField, id), _builders.Value!.Build(id, job.Json));
        // The generation is taken after the write: a refresh that starts once it is set covers it.
        job.Generation = Interlocked.Increment(ref _writeGeneration);
        _live[id] = job;
        if (_live.Count > LiveRefreshThreshold && Interlocked.Exchange(ref _backgroundRefresh, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                try
                {
                    RefreshIfDirty();
                }
                catch (Exception)
                {
                    // Best effort (the index may be closing): searches refresh on their own.
                }
                finally
                {
                    Volatile.Write(ref _backgroundRefresh, 0);
                }
            }, null);
        }
    }

    /// <summary>The current state of a job, or null. Realtime.</summary>
    public StoredJob? Find(string id)
    {
        // Live map first, then the searcher: an entry is evicted only after a refreshed searcher
        // that covers it is in place, so acquiring afterwards can't miss it.
        if (_live.TryGetValue(id, out var live))
        {
            return live;
        }

        var searcher = _searchers.Acquire();
        try
        {
            var json = ReadSource(searcher, id);
            return json is null ? null : new StoredJob(json);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>Makes every completed write visible to the searchers handed out from now on.</summary>
    public void RefreshIfDirty()
    {
        if (Volatile.Read(ref _writeGeneration) <= Volatile.Read(ref _refreshedGeneration))
        {
            return;
        }

        lock (_refreshGate)
        {
            var target = Volatile.Read(ref _writeGeneration);
            if (target <= _refreshedGeneration)
            {
                return;
            }

            _searchers.MaybeRefreshBlocking();
            Volatile.Write(ref _refreshedGeneration, target);
            foreach (var entry in _live)
            {
                if (entry.Value.Generation <= target)
                {
                    _live.TryRemove(entry);
                }
            }
        }
    }

    /// <summary>A searcher that sees every write completed before the call. Release it with <see cref="Release"/>.</summary>
    public IndexSearcher AcquireFresh()
    {
        RefreshIfDirty();
        return _searchers.Acquire();
    }

    public void Release(IndexSearcher searcher) => _searchers.Release(searcher);

    /// <summary>Durably commits the index, recording the log sequence it covers.</summary>
    public void Commit(long sequence)
    {
        _writer.SetCommitData(new Dictionary<string, string>
        {
            [CommitSequenceKey] = sequence.ToString(CultureInfo.InvariantCulture),
        });
        _writer.Commit();
        CommittedSequence = sequence;
    }

    /// <summary>Closes without committing: the index on disk stays as of the last commit (a crash, for tests).</summary>
    public void Abandon()
    {
        _searchers.Dispose();
        _writer.Rollback();
        _directory.Dispose();
    }

    public void Dispose()
    {
        _builders.Dispose();
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
    }

    /// <summary>The <c>_source</c> of the live document with this id in the searcher's view.</summary>
    public static byte[]? ReadSource(IndexSearcher searcher, string id)
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
                return ReadSource(reader, doc);
            }
        }

        return null;
    }

    public static byte[] ReadSource(IndexReader reader, int doc)
    {
        var visitor = new DocumentStoredFieldVisitor(FieldCatalog.SourceField);
        reader.Document(doc, visitor);
        var bytes = visitor.Document.GetBinaryValue(FieldCatalog.SourceField);
        return bytes.Bytes.AsSpan(bytes.Offset, bytes.Length).ToArray();
    }

    private sealed class JobSearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Similarity };
    }
}
