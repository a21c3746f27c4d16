using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;

namespace Jobs.Core.Tests.Merging;

/// <summary>
/// The smallest store <see cref="UpdateBatches"/> can run on: jobs and their events in
/// dictionaries, keyed as every store keys them (<see cref="StoredEvents"/>). It lets the merge
/// tests see what a store would hold — the document and the events — after each batch.
/// </summary>
internal sealed class MemoryMergeStore : IMergeBackend
{
    private readonly Dictionary<string, JobDocument> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, JobEvent>> _events = new(StringComparer.Ordinal);

    public MemoryMergeStore(JobDocument job)
    {
        _jobs[job.Id] = job;
        Store(job.Id, [JobMerger.CreationEvent(job)]);
    }

    /// <summary>How often a merge had to read a job's whole history.</summary>
    public int HistoryLoads { get; private set; }

    public int Writes { get; private set; }

    public JobDocument Job => _jobs.Values.Single();

    /// <summary>The history oldest first, as a store pages it.</summary>
    public IReadOnlyList<JobEvent> History =>
        [.. _events[Job.Id].Values.OrderBy(StoredEvents.SortKey, StringComparer.Ordinal)];

    public IReadOnlyList<UpdateResult> Apply(DateTimeOffset received, params JobUpdate[] updates) =>
        UpdateBatches.ApplyAsync(updates, received, this, 3, CancellationToken.None).GetAwaiter().GetResult();

    public Task<IReadOnlyDictionary<string, LoadedJob>> LoadAsync(IReadOnlyList<JobLookup> jobs, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, LoadedJob>>(jobs.ToDictionary(
            j => j.JobId,
            j => _jobs.TryGetValue(j.JobId, out var job)
                ? new LoadedJob(job, null, j.UpdateIds.Where(u => _events[j.JobId].ContainsKey(StoredEvents.MergedId(j.JobId, u))).ToHashSet())
                : new LoadedJob(null, null, new HashSet<string>())));

    public Task<IReadOnlyList<JobEvent>> LoadHistoryAsync(string jobId, CancellationToken cancellationToken)
    {
        HistoryLoads++;
        return Task.FromResult<IReadOnlyList<JobEvent>>([.. _events[jobId].Values]);
    }

    public Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<JobChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            _jobs[change.JobId] = change.Job;
            Store(change.JobId, change.Events);
            Writes++;
        }

        return Task.FromResult<IReadOnlyList<WriteResult>>([.. changes.Select(_ => WriteResult.Written)]);
    }

    private void Store(string jobId, IEnumerable<JobEvent> events)
    {
        if (!_events.TryGetValue(jobId, out var stored))
        {
            _events[jobId] = stored = new(StringComparer.Ordinal);
        }

        foreach (var e in events)
        {
            stored[StoredEvents.DocumentId(jobId, e)] = e;
        }
    }
}
