using System.Collections.Concurrent;
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
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// The embedded store's <c>job-events</c>: one Lucene document per event, keyed by
/// <see cref="StoredEvents.DocumentId"/>, with the job id, the history's sort key and the
/// event's JSON. Writes go through Lucene's <see cref="TrackingIndexWriter"/>; a
/// <see cref="ControlledRealTimeReopenThread{T}"/> reopens the searcher at least once a second
/// and at once when a reader waits for a generation. A history read waits for the generation of
/// its job's last write (realtime). The de-duplication lookup, which runs on every update, does
/// not wait: the document ids written since the searcher last covered them are kept in a map
/// that is consulted first.
/// </summary>
internal sealed class EventIndex : IDisposable
{
    private const string IdField = "_id";
    private const string JobField = "job";
    private const string KeyField = "key";
    private const string SourceField = "_source";

    /// <summary>Past this many uncovered ids the writer prunes the map after a reopen.</summary>
    private const int RecentPruneThreshold = 50_000;

    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly TrackingIndexWriter _tracking;
    private readonly SearcherManager _searchers;
    private readonly ControlledRealTimeReopenThread<IndexSearcher> _reopener;
    private readonly ConcurrentDictionary<string, long> _recent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _jobGenerations = new(StringComparer.Ordinal);
    private int _pruning;

    public EventIndex(string path)
    {
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(path);
        var config = new IndexWriterConfig(JobIndex.Version, JobIndex.NewAnalyzer())
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            RAMBufferSizeMB = 16,
            UseCompoundFile = false,
        };
        _writer = new IndexWriter(_directory, config);
        _tracking = new TrackingIndexWriter(_writer);
        _searchers = new SearcherManager(_writer, true, null);
        _reopener = new ControlledRealTimeReopenThread<IndexSearcher>(_tracking, _searchers, 1.0, 0.0)
        {
            IsBackground = true,
            Name = "job-events-reopen",
        };
        _reopener.Start();
        CommittedSequence = _writer.CommitData.TryGetValue(JobIndex.CommitSequenceKey, out var text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;
    }

    /// <summary>The write-ahead log sequence the last commit covers.</summary>
    public long CommittedSequence { get; private set; }

    /// <summary>Writes (or replaces) an event of a job.</summary>
    public void Write(string jobId, string documentId, string sortKey, byte[] json)
    {
        var document = new Document
        {
            new StringField(IdField, documentId, Field.Store.NO),
            new StringField(JobField, jobId, Field.Store.NO),
            new StringField(KeyField, sortKey, Field.Store.NO),
            new SortedDocValuesField(KeyField, new BytesRef(sortKey)),
            new StoredField(SourceField, json),
        };
        var generation = _tracking.UpdateDocument(new Term(IdField, documentId), document);
        _recent[documentId] = generation;
        _jobGenerations[jobId] = generation;
        if (_recent.Count > RecentPruneThreshold && Interlocked.Exchange(ref _pruning, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => Prune(generation), null);
        }
    }

    /// <summary>Whether a document with this id exists (realtime, without waiting for a reopen).</summary>
    public bool Contains(string documentId)
    {
        if (_recent.ContainsKey(documentId))
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
        if (_jobGenerations.TryGetValue(jobId, out var generation))
        {
            _reopener.WaitForGeneration(generation);
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
        CommittedSequence = sequence;
    }

    /// <summary>Closes without committing (a crash, for tests).</summary>
    public void Abandon()
    {
        _reopener.Dispose();
        _searchers.Dispose();
        _writer.Rollback();
        _directory.Dispose();
    }

    public void Dispose()
    {
        _reopener.Dispose();
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
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

    /// <summary>Drops the ids a reopened searcher covers (the searcher answers for them from now on).</summary>
    private void Prune(long generation)
    {
        try
        {
            _reopener.WaitForGeneration(generation);
            foreach (var entry in _recent)
            {
                if (entry.Value <= generation)
                {
                    _recent.TryRemove(entry);
                }
            }

            foreach (var entry in _jobGenerations)
            {
                if (entry.Value <= generation)
                {
                    _jobGenerations.TryRemove(entry);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // closing
        }
        finally
        {
            Volatile.Write(ref _pruning, 0);
        }
    }
}
