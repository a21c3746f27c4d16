using Jobs.Core.Jobs;
using Jobs.Core.Json;

namespace Jobs.Embedded.Indexing;

/// <summary>A job's stored JSON, parsed on first use (recovery replays JSON without parsing it).</summary>
internal sealed class StoredJob(byte[] json, JobDocument? job = null)
{
    private JobDocument? _job = job;

    public byte[] Json { get; } = json;

    public JobDocument Job => _job ??= JobsJson.ParseJob(Json);

    /// <summary>Set when the job was written (the order of writes): the newest ones stay cached.</summary>
    public long Generation { get; set; }

    /// <summary>The indexing pass that put this state into Lucene (0: not yet); a searcher refreshed after it covers it.</summary>
    public long IndexedPass
    {
        get => Volatile.Read(ref _indexedPass);
        set => Volatile.Write(ref _indexedPass, value);
    }

    private long _indexedPass;
}
