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
/// The Lucene index of jobs (one document per job, keyed by <c>_id</c>) with read-your-writes.
/// A write puts the job's new state in a live map and marks it dirty; a background indexer
/// thread puts dirty jobs into Lucene, each with its newest state (several writes of one job
/// between two passes are indexed once). The live map is consulted before the searcher, and an
/// entry is evicted only once it was indexed and a refreshed searcher covers it; the most recent
/// writes stay after that (at most <see cref="RetainedWrites"/>, decoded), so the jobs that are
/// being updated are read back without a stored-field read and a JSON parse. Every write
/// replaces its job's entry, so an entry is always the job's newest state. A refresh and a
/// commit first index every dirty job. Writes of one job must be serialised by the caller;
/// reads, refreshes and commits are thread-safe.
/// </summary>
internal sealed class JobIndex : IDisposable
{
    public const string CommitSequenceKey = "wal-sequence";
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Past this many unrefreshed writes the writer asks for a background refresh (bounds the live map).</summary>
    private const int LiveRefreshThreshold = 20_000;

    /// <summary>How many of the newest writes a refresh leaves in the live map (a cache of decoded jobs).</summary>
    public const int RetainedWrites = 10_000;

    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly ThreadLocal<JobDocumentBuilder> _builders;
    private readonly ConcurrentDictionary<string, StoredJob> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _dirty = new(StringComparer.Ordinal);
    private readonly object _refreshGate = new();
    private readonly object _indexGate = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _indexer;
    private long _writeGeneration;
    private long _refreshedGeneration;
    private long _passes;
    private int _backgroundRefresh;
    private int _awake;

    public JobIndex(string path, FieldCatalog catalog)
    {
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(path);
        var config = new IndexWriterConfig(Version, NewAnalyzer())
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = Similarity,
            RAMBufferSizeMB = 64,
            // Flushed segments stay as separate files: copying each into a compound file cost CPU
            // on every refresh under write load (merged segments are never compound at this size anyway).
            UseCompoundFile = false,
        };
        _writer = new IndexWriter(_directory, config);
        _searchers = new SearcherManager(_writer, true, new JobSearcherFactory());
        _builders = new ThreadLocal<JobDocumentBuilder>(() => new JobDocumentBuilder(catalog));
        CommittedSequence = _writer.CommitData.TryGetValue(CommitSequenceKey, out var text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;
        _indexer = new Thread(IndexLoop) { IsBackground = true, Name = "jobs-indexer" };
        _indexer.Start();
    }

    public static Similarity Similarity { get; } = new ElasticsearchSimilarity();

    /// <summary>The write-ahead log sequence the last commit covers.</summary>
    public long CommittedSequence { get; private set; }

    public int LiveCount => _live.Count;

    /// <summary>Elasticsearch's <c>standard</c> analyser: the standard tokenizer and lower-casing, no stop words.</summary>
    public static StandardAnalyzer NewAnalyzer() => new(Version, CharArraySet.Empty);

    /// <summary>Records the job's new state; it is indexed in the background (callers serialise the writes of one job).</summary>
    public void Write(string id, StoredJob job)
    {
        _live[id] = job;
        _dirty[id] = 0;
        // The generation is taken last: a refresh that reads it afterwards finds the job dirty or indexed.
        job.Generation = Interlocked.Increment(ref _writeGeneration);
        if (Volatile.Read(ref _awake) == 0 && Interlocked.Exchange(ref _awake, 1) == 0)
        {
            _wake.Release();
        }

        if (job.Generation - Volatile.Read(ref _refreshedGeneration) > LiveRefreshThreshold && Interlocked.Exchange(ref _backgroundRefresh, 1) == 0)
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
        // Live map first, then the searcher: an entry is evicted only after it was indexed and a
        // refreshed searcher that covers it is in place, so acquiring afterwards can't miss it.
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

            var pass = IndexDirty();
            _searchers.MaybeRefreshBlocking();
            Volatile.Write(ref _refreshedGeneration, target);
            if (_live.Count > RetainedWrites)
            {
                // Indexed, covered by the new searcher, and older than the newest writes kept as a cache.
                var keepFrom = target - RetainedWrites;
                foreach (var entry in _live)
                {
                    var job = entry.Value;
                    if (job.IndexedPass != 0 && job.IndexedPass <= pass && job.Generation <= keepFrom)
                    {
                        _live.TryRemove(entry);
                    }
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
        // Every record up to `sequence` was written here before it was logged: index them all.
        IndexDirty();
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
        StopIndexer();
        _searchers.Dispose();
        _writer.Rollback();
        _directory.Dispose();
    }

    public void Dispose()
    {
        StopIndexer();
        try
        {
            IndexDirty();
        }
        finally
        {
            _builders.Dispose();
            _searchers.Dispose();
            _writer.Dispose();
            _directory.Dispose();
            _wake.Dispose();
            _stopping.Dispose();
        }
    }

    /// <summary>
    /// Puts every dirty job into Lucene with its newest state; returns the number of this pass.
    /// A job written again meanwhile is dirty again and indexed by a later pass.
    /// </summary>
    private long IndexDirty()
    {
        lock (_indexGate)
        {
            var pass = ++_passes;
            if (_dirty.IsEmpty)
            {
                return pass;
            }

            // Unmark first, then read the newest state: a write after the read marks it again.
            var batch = new List<(string Id, StoredJob Job)>(_dirty.Count);
            foreach (var id in _dirty.Keys)
            {
                if (_dirty.TryRemove(id, out _) && _live.TryGetValue(id, out var job))
                {
                    batch.Add((id, job));
                }
            }

            // In write order, as Elasticsearch would have indexed them: Lucene appends each
            // document, and equal scores are ordered by document, so ties rank the same.
            batch.Sort(static (a, b) => a.Job.Generation.CompareTo(b.Job.Generation));
            var builder = _builders.Value!;
            for (var i = 0; i < batch.Count; i++)
            {
                var (id, job) = batch[i];
                try
                {
                    _writer.UpdateDocument(new Term(FieldCatalog.IdField, id), builder.Build(id, job.Json));
                }
                catch
                {
                    for (var j = i; j < batch.Count; j++)
                    {
                        _dirty[batch[j].Id] = 0;
                    }

                    throw;
                }

                job.IndexedPass = pass;
            }

            return pass;
        }
    }

    private void IndexLoop()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                _wake.Wait(token);
                Volatile.Write(ref _awake, 0);
                IndexDirty();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // The writer failed or is closing: the jobs stay dirty (and in the live map); a
                // refresh or a commit indexes them or reports the failure to its caller.
                Thread.Sleep(100);
            }
        }
    }

    private void StopIndexer()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
            _indexer.Join();
        }
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
