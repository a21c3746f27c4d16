using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Storage;
using Jobs.Core.Updates;

namespace Jobs.Functions.Tests.Fakes;

/// <summary>
/// A store that keeps jobs in memory and applies updates with the real merge rule; it can be
/// told to be down, or to answer <see cref="UpdateOutcomeKind.Retry"/> for some jobs.
/// </summary>
internal sealed class InMemoryJobStore : IJobStore
{
    private readonly ConcurrentDictionary<string, JobDocument> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>When true, every ApplyAsync throws <see cref="StoreUnavailableException"/>.</summary>
    public bool Unavailable { get; set; }

    /// <summary>Jobs whose updates the store refuses for now (throttling, conflict).</summary>
    public HashSet<string> Throttled { get; } = new(StringComparer.Ordinal);

    /// <summary>How many ApplyAsync calls reached the store, and the size of each.</summary>
    public List<int> Calls { get; } = [];

    /// <summary>Awaited inside ApplyAsync before anything is stored (to hold a batch in flight).</summary>
    public Func<CancellationToken, Task>? BeforeApply { get; set; }

    public void Add(JobDocument job) => _jobs[job.Id] = job;

    public JobDocument? Get(string id) => _jobs.GetValueOrDefault(id);

    public Task<bool> CreateAsync(JobDocument job, CancellationToken cancellationToken) => Task.FromResult(_jobs.TryAdd(job.Id, job));

    public Task<JobDocument?> GetAsync(string jobId, CancellationToken cancellationToken) => Task.FromResult(Get(jobId));

    public async Task<IReadOnlyList<UpdateResult>> ApplyAsync(IReadOnlyList<JobUpdate> updates, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Calls.Add(updates.Count);
        }

        if (BeforeApply is { } hold)
        {
            await hold(cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Unavailable)
        {
            throw new StoreUnavailableException("the test store is down");
        }

        lock (_lock)
        {
            var results = new UpdateResult?[updates.Count];
            foreach (var group in updates.Select((u, i) => (u, i)).GroupBy(x => x.u.Message.JobId))
            {
                var jobId = group.Key;
                if (Throttled.Contains(jobId))
                {
                    foreach (var (u, i) in group)
                    {
                        results[i] = new UpdateResult(u.Message.Id, jobId, UpdateOutcomeKind.Retry, "throttled");
                    }

                    continue;
                }

                if (!_jobs.TryGetValue(jobId, out var job))
                {
                    var create = group.Select(x => x.u.CreateIfMissing).FirstOrDefault(c => c is not null);
                    if (create is null)
                    {
                        foreach (var (u, i) in group)
                        {
                            results[i] = new UpdateResult(u.Message.Id, jobId, UpdateOutcomeKind.JobNotFound);
                        }

                        continue;
                    }

                    job = create;
                }

                var merged = JobMerger.Apply(job, group.Select(x => x.u).ToList(), DateTimeOffset.UtcNow);
                _jobs[jobId] = merged.Job;
                var n = 0;
                foreach (var (_, i) in group)
                {
                    results[i] = merged.Results[n++];
                }
            }

            return results!;
        }
    }

    public Task<JsonObject> SearchAsync(JsonObject request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<JsonObject> CountAsync(JsonObject? request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<JsonObject> GetMappingAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new StoreHealth(!Unavailable, Unavailable ? "down" : "in memory"));
}
