using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Embedded.Engine;
using Jobs.Embedded.Indexing;

namespace Jobs.Embedded;

public sealed partial class EmbeddedJobStore
{
    /// <summary>
    /// The store as <see cref="UpdateBatches"/> sees it for one batch, on one engine: loads
    /// without locks, writes under the job's stripe lock if the job is still the version loaded
    /// (the log sequence of its state), and remembers the durability of the last record appended.
    /// </summary>
    private sealed class MergeBackend(EmbeddedJobStore store, StorageEngine engine) : IMergeBackend
    {
        public StorageEngine Engine => engine;

        public Task? Durable { get; private set; }

        public Task<IReadOnlyDictionary<string, LoadedJob>> LoadAsync(IReadOnlyList<JobLookup> jobs, CancellationToken cancellationToken)
        {
            var loaded = new Dictionary<string, LoadedJob>(jobs.Count, StringComparer.Ordinal);
            foreach (var lookup in jobs)
            {
                var stored = store.Read(_ => engine.Jobs.Find(lookup.JobId));
                var job = stored?.Job;
                var known = new HashSet<string>(StringComparer.Ordinal);
                if (job is not null)
                {
                    foreach (var id in lookup.UpdateIds)
                    {
                        if (engine.Events.Contains(StoredEvents.MergedId(lookup.JobId, id)))
                        {
                            known.Add(id);
                        }
                    }
                }

                loaded[lookup.JobId] = new LoadedJob(job, VersionOf(stored), known);
            }

            return Task.FromResult<IReadOnlyDictionary<string, LoadedJob>>(loaded);
        }

        // Events.AllAsync waits for the job's last write to be durable (its events reach Lucene only
        // then), so a replay sees every event of the version it loaded.
        public Task<IReadOnlyList<JobEvent>> LoadHistoryAsync(string jobId, CancellationToken cancellationToken) =>
            store.ReadAsync(_ => engine.Events.AllAsync(jobId));

        public Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<JobChange> changes, CancellationToken cancellationToken)
        {
            var results = new WriteResult[changes.Count];
            for (var i = 0; i < changes.Count; i++)
            {
                var change = changes[i];
                lock (store.Stripe(change.JobId))
                {
                    var current = engine.Jobs.Find(change.JobId);
                    if (!Equals(VersionOf(current), change.Version) || (change.IsNew && current is not null))
                    {
                        results[i] = new WriteResult(WriteStatus.Conflict);
                        continue;
                    }

                    Durable = engine.WriteJob(change.JobId, change.Job, change.Events, store.NoticeFor(current?.Job, change.Job, change.Events));
                    results[i] = WriteResult.Written;
                }
            }

            return Task.FromResult<IReadOnlyList<WriteResult>>(results);
        }

        private static object? VersionOf(StoredJob? job) => job?.Sequence;
    }
}
