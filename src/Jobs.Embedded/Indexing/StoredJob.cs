using Jobs.Core.Jobs;
using Jobs.Core.Json;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// A job's stored JSON, parsed on first use (recovery replays JSON without parsing it), with the
/// write-ahead log sequence of the record that wrote it: the job's version, which a conditional
/// write compares (0 for a document indexed before versions were stored).
/// </summary>
internal sealed class StoredJob(byte[] json, long sequence, JobDocument? job = null)
{
    private JobDocument? _job = job;
    private long _generation;

    public byte[] Json { get; } = json;

    private long _sequence = sequence;

    /// <summary>Set once the record is appended (by its writer, and by the apply that may run first).</summary>
    public long Sequence
    {
        get => Volatile.Read(ref _sequence);
        set => Volatile.Write(ref _sequence, value);
    }

    public JobDocument Job => _job ??= JobsJson.ParseJob(Json);

    /// <summary>The index writer's generation of this state once it is in Lucene (0: not yet); a searcher reopened past it covers it.</summary>
    public long Generation
    {
        get => Volatile.Read(ref _generation);
        set => Volatile.Write(ref _generation, value);
    }
}
