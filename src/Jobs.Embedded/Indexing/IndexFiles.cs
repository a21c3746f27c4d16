using Lucene.Net.Index;
using Lucene.Net.Store;
using Microsoft.Extensions.Logging;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// Opens an index writer on a directory that a kill -9 may have left in any state. Lucene falls
/// back to the previous commit when the newest <c>segments_N</c> is torn, except for the very
/// first one: a process killed while <c>segments_1</c> was being written leaves an index that
/// exists but cannot be read (<c>EndOfStreamException … segments_1</c>). That commit never
/// completed, so no log segment was deleted on its account (a checkpoint deletes segments only
/// after every commit of it completed): the index is started empty and the log replays all of it.
/// </summary>
internal static class IndexFiles
{
    public static IndexWriter OpenWriter(LuceneDirectory directory, Func<IndexWriterConfig> config, ILogger logger)
    {
        try
        {
            return new IndexWriter(directory, config());
        }
        catch (Exception e) when (e is IOException and not LockObtainFailedException && IsTornFirstCommit(directory))
        {
            logger.LogWarning(e, "The index at {Directory} has a torn first commit (a crash while it was written); starting it empty, the write-ahead log holds every change", directory);
            foreach (var file in directory.ListAll())
            {
                if (file != IndexWriter.WRITE_LOCK_NAME)
                {
                    directory.DeleteFile(file);
                }
            }

            var fresh = config();
            fresh.OpenMode = OpenMode.CREATE;
            return new IndexWriter(directory, fresh);
        }
    }

    private static bool IsTornFirstCommit(LuceneDirectory directory)
    {
        try
        {
            return SegmentInfos.GetLastCommitGeneration(directory) == 1;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
