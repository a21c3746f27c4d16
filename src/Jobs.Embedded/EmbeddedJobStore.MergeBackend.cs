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
        // What each load found, so the write's version check reads the index again only when it must.
        private readonly Dictionary<string, (StoredJob? Stored, long Drops)> _found = new(StringComparer.Ordinal);

        public StorageEngine Engine => engine;

        public Task? Durable { get; private set; }

        public Task<IReadOnlyDictionary<string, LoadedJob>> LoadAsync(IReadOnlyList<JobLookup> jobs, CancellationToken cancellationToken)
        {
            // The whole batch at once: its jobs, then the update ids among their events, each with
            // one walk of every segment's terms (see TermLookups).
            var drops = engine.Jobs.Drops;
            var stored = store.Read(_ => engine.Jobs.FindAll(jobs.Select(j => j.JobId).ToList()));
            var mergedIds = new List<string>();
            foreach (var lookup in jobs)
            {
                if (stored[lookup.JobId] is not null)
                {
                    mergedIds.AddRange(lookup.UpdateIds.Select(id => StoredEvents.MergedId(lookup.JobId, id)));
                }
            }

            var existing = mergedIds.Count == 0 ? [] : store.Read(_ => engine.Events.ContainsAll(mergedIds));
            var loaded = new Dictionary<string, LoadedJob>(jobs.Count, StringComparer.Ordinal);
            foreach (var lookup in jobs)
            {
                var job = stored[lookup.JobId];
                _found[lookup.JobId] = (job, drops);
                var known = new HashSet<string>(StringComparer.Ordinal);
                if (job is not null)
                {
                    foreach (var id in lookup.UpdateIds)
                    {
                        if (existing.Contains(StoredEvents.MergedId(lookup.JobId, id)))
                        {
                            known.Add(id);
                        }
                    }
                }

                loaded[lookup.JobId] = new LoadedJob(job?.Job, VersionOf(job), known);
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
                    var current = _found.TryGetValue(change.JobId, out var found)
                        ? engine.Jobs.FindAgain(change.JobId, found.Stored, found.Drops)
                        : engine.Jobs.Find(change.JobId);
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
