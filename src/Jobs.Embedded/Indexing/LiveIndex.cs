using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Microsoft.Extensions.Logging;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// What the store's Lucene indices (jobs, events, outbox) share: the directory, a writer opened
/// through <see cref="IndexFiles"/> (a torn first commit is started empty), Lucene's generation
/// tracking (<see cref="TrackingIndexWriter"/>), a searcher manager that survives a failed
/// refresh, a <see cref="ControlledRealTimeReopenThread{T}"/> (at least once a second, at once for
/// a reader waiting for a generation), and commits that record the write-ahead log sequence they
/// cover, followed by a directory fsync. <see cref="Start"/> adds the index's refresh listeners
/// before the reopen thread runs.
/// </summary>
internal sealed class LiveIndex : IDisposable
{
    public const string CommitSequenceKey = "wal-sequence";

    private readonly string _path;
    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private ControlledRealTimeReopenThread<IndexSearcher>? _reopener;

    public LiveIndex(string path, double ramBufferMb, Similarity? similarity, Action<Exception> failed, ILogger logger)
    {
        _path = path;
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(path);
        try
        {
            _writer = IndexFiles.OpenWriter(_directory, () =>
            {
                var config = new IndexWriterConfig(JobIndex.Version, JobIndex.NewAnalyzer())
                {
                    OpenMode = OpenMode.CREATE_OR_APPEND,
                    RAMBufferSizeMB = ramBufferMb,
                    // Flushed segments stay as separate files: copying each into a compound file
                    // cost CPU on every refresh under write load.
                    UseCompoundFile = false,
                };
                if (similarity is not null)
                {
                    config.Similarity = similarity;
                }

                return config;
            }, logger);
        }
        catch
        {
            _directory.Dispose();
            throw;
        }

        Tracking = new TrackingIndexWriter(_writer);
        Searchers = new GuardedSearcherManager(_writer, reader => similarity is null ? new IndexSearcher(reader) : new IndexSearcher(reader) { Similarity = similarity }, failed);
        CommittedSequence = _writer.CommitData.TryGetValue(CommitSequenceKey, out var text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;
    }

    public TrackingIndexWriter Tracking { get; }

    public GuardedSearcherManager Searchers { get; }

    /// <summary>The write-ahead log sequence the last commit covers.</summary>
    public long CommittedSequence { get; private set; }

    /// <summary>The user data of the last commit (the log sequence, and what an index adds in <see cref="Commit"/>).</summary>
    public IDictionary<string, string> CommitData => _writer.CommitData;

    /// <summary>Adds the refresh listeners and starts the reopen thread (once).</summary>
    public void Start(string threadName, params ReferenceManager.IRefreshListener[] listeners)
    {
        foreach (var listener in listeners)
        {
            Searchers.AddListener(listener);
        }

        _reopener = new ControlledRealTimeReopenThread<IndexSearcher>(Tracking, Searchers, 1.0, 0.0)
        {
            IsBackground = true,
            Name = threadName,
        };
        _reopener.Start();
    }

    /// <summary>Waits until a searcher covers the writer's <paramref name="generation"/>.</summary>
    public void WaitForGeneration(long generation) => _reopener!.WaitForGeneration(generation);

    /// <summary>
    /// Durably commits the index, recording the log sequence it covers (every record up to it was
    /// applied) and the index's own <paramref name="extra"/> user data.
    /// </summary>
    public void Commit(long sequence, KeyValuePair<string, string>? extra = null)
    {
        var data = new Dictionary<string, string>
        {
            [CommitSequenceKey] = sequence.ToString(CultureInfo.InvariantCulture),
        };
        if (extra is { } pair)
        {
            data[pair.Key] = pair.Value;
        }

        _writer.SetCommitData(data);
        _writer.Commit();
        // Lucene 4.8 fsyncs the files it wrote but not their directory.
        Storage.DirectorySync.Fsync(_path);
        CommittedSequence = sequence;
    }

    /// <summary>Closes without committing: the index on disk stays as of the last commit (a failed store, a crash in tests).</summary>
    public void Abandon() => Close(_writer.Rollback);

    public void Dispose() => Close(_writer.Dispose);

    private void Close(Action closeWriter)
    {
        // The reopen thread is joined first, so nothing writes into the directory once this returns.
        _reopener?.Dispose();
        Searchers.Dispose();
        try
        {
            closeWriter();
        }
        finally
        {
            _directory.Dispose();
        }
    }
}
