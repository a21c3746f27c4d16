using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// Lucene's <see cref="SearcherManager"/> over a writer (near-real-time readers), except that a
/// refresh that fails with an I/O error (a full disk: opening a reader flushes the writer's
/// buffer to new files) is reported to <paramref name="failed"/> and keeps the current searcher
/// instead of throwing: the <see cref="ControlledRealTimeReopenThread{T}"/> that refreshes it
/// would otherwise die with the exception, and take the process with it.
/// </summary>
internal sealed class GuardedSearcherManager : ReferenceManager<IndexSearcher>
{
    private readonly IndexWriter _writer;
    private readonly Func<IndexReader, IndexSearcher> _newSearcher;
    private readonly Action<Exception> _failed;

    public GuardedSearcherManager(IndexWriter writer, Func<IndexReader, IndexSearcher> newSearcher, Action<Exception> failed)
    {
        _writer = writer;
        _newSearcher = newSearcher;
        _failed = failed;
        Current = newSearcher(DirectoryReader.Open(writer, applyAllDeletes: true));
    }

    protected override void DecRef(IndexSearcher reference) => reference.IndexReader.DecRef();

    protected override IndexSearcher RefreshIfNeeded(IndexSearcher referenceToRefresh)
    {
        try
        {
            var reader = DirectoryReader.OpenIfChanged((DirectoryReader)referenceToRefresh.IndexReader, _writer, applyAllDeletes: true);
            return reader is null ? null! : _newSearcher(reader);
        }
        catch (IOException e)
        {
            _failed(e);
            return null!;
        }
    }

    protected override bool TryIncRef(IndexSearcher reference) => reference.IndexReader.TryIncRef();

    protected override int GetRefCount(IndexSearcher reference) => reference.IndexReader.RefCount;
}
