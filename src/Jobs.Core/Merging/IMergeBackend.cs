using Jobs.Core.Jobs;

namespace Jobs.Core.Merging;

/// <summary>
/// What <see cref="UpdateBatches"/> needs of a store: load jobs (with which of the batch's update
/// ids they already have), load one job's events, and write merged jobs with their new events,
/// each write conditional on the version loaded.
/// </summary>
public interface IMergeBackend
{
    /// <summary>
    /// The current state of each job (realtime), by job id: its document (null: no such job),
    /// a version the write will check, and which of the given update ids are merged events of it.
    /// </summary>
    Task<IReadOnlyDictionary<string, LoadedJob>> LoadAsync(IReadOnlyList<JobLookup> jobs, CancellationToken cancellationToken);

    /// <summary>Every event of the job (any order; rejected ones and corrections may be included).</summary>
    Task<IReadOnlyList<JobEvent>> LoadHistoryAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Writes each job and its events; one answer per change, in order.</summary>
    Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<JobChange> changes, CancellationToken cancellationToken);
}

/// <summary>A job to load and the update ids to look up among its events.</summary>
public sealed record JobLookup(string JobId, IReadOnlyList<string> UpdateIds);

/// <summary>A loaded job: null when it does not exist; <see cref="Failure"/> when it could not be read this time.</summary>
public sealed record LoadedJob(JobDocument? Job, object? Version, IReadOnlySet<string> Known, string? Failure = null);

/// <summary>
/// A job to write: its merged document, the version it was loaded at (null: create it, it must
/// not exist), and the events to store (keyed by <see cref="StoredEvents.DocumentId"/>, so
/// writing one again replaces it).
/// </summary>
public sealed record JobChange(string JobId, JobDocument Job, object? Version, bool IsNew, IReadOnlyList<JobEvent> Events);

/// <summary>How a job's write went.</summary>
public enum WriteStatus
{
    Written,

    /// <summary>The job changed since it was loaded: load and merge again.</summary>
    Conflict,

    /// <summary>Not taken this time (throttled, unavailable): the updates are reported as retry.</summary>
    Retry,

    /// <summary>Refused for good: the updates are reported as rejected.</summary>
    Refused,
}

/// <summary>The answer for one <see cref="JobChange"/>.</summary>
public sealed record WriteResult(WriteStatus Status, string? Reason = null)
{
    public static readonly WriteResult Written = new(WriteStatus.Written);
}
