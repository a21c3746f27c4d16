using Jobs.Core.Jobs;
using Jobs.Core.Json;

namespace Jobs.Embedded.Indexing;

/// <summary>A job's stored JSON, parsed on first use (recovery replays JSON without parsing it).</summary>
internal sealed class StoredJob(byte[] json, JobDocument? job = null)
{
    private JobDocument? _job = job;

    public byte[] Json { get; } = json;

    public JobDocument Job => _job ??= JobsJson.ParseJob(Json);

    /// <summary>Set when the job was written: a searcher refreshed past it makes the live copy redundant.</summary>
    public long Generation { get; set; }
}
