using Jobs.Core.Jobs;
using Jobs.Core.Updates;

namespace Jobs.Core.Merging;

/// <summary>
/// Applies a batch of updates (any jobs, any order) to a store through its
/// <see cref="IMergeBackend"/>: groups the updates by job (in the order each job first appears),
/// loads every job of the batch in one call, creates a job from
/// <see cref="JobUpdate.CreateIfMissing"/> or reports it not found, merges
/// (<see cref="JobMerger.Apply"/>, loading a job's events only when the merge asks), writes every
/// changed job in one call, and puts the results back in batch order. A job whose conditional
/// write lost a race is loaded and merged again — only those jobs — up to the given number of
/// rounds. Every store adapter uses this one function, so they cannot disagree about a batch.
/// </summary>
public static class UpdateBatches
{
    public static async Task<IReadOnlyList<UpdateResult>> ApplyAsync(
        IReadOnlyList<JobUpdate> updates, DateTimeOffset received, IMergeBackend backend, int maxConflictRounds, CancellationToken cancellationToken)
    {
        var results = new UpdateResult?[updates.Count];
        var pending = Group(updates);
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round > maxConflictRounds)
            {
                foreach (var job in pending)
                {
                    job.SetAll(results, UpdateOutcomeKind.Retry, "other writers kept changing the job meanwhile; send the update again");
                }

                break;
            }

            var loaded = await backend.LoadAsync(pending.Select(j => new JobLookup(j.JobId, j.UpdateIds)).ToList(), cancellationToken).ConfigureAwait(false);
            var changes = new List<(JobGroup Group, JobChange Change)>();
            foreach (var job in pending)
            {
                if (await MergeAsync(job, loaded, received, backend, results, cancellationToken).ConfigureAwait(false) is { } change)
                {
                    changes.Add((job, change));
                }
            }

            pending = [];
            if (changes.Count == 0)
            {
                break;
            }

            var written = await backend.WriteAsync(changes.Select(c => c.Change).ToList(), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < changes.Count; i++)
            {
                var (job, _) = changes[i];
                switch (written[i].Status)
                {
                    case WriteStatus.Written:
                        break; // the merge's results stand
                    case WriteStatus.Conflict:
                        pending.Add(job);
                        break;
                    case WriteStatus.Retry:
                        job.SetAll(results, UpdateOutcomeKind.Retry, written[i].Reason);
                        break;
                    default:
                        job.SetAll(results, UpdateOutcomeKind.Rejected, written[i].Reason);
                        break;
                }
            }
        }

        return results.Select((r, i) => r ?? new UpdateResult(updates[i].Message.Id, updates[i].Message.JobId, UpdateOutcomeKind.Retry)).ToList();
    }

    private static async Task<JobChange?> MergeAsync(
        JobGroup job, IReadOnlyDictionary<string, LoadedJob> loaded, DateTimeOffset received, IMergeBackend backend, UpdateResult?[] results, CancellationToken cancellationToken)
    {
        if (!loaded.TryGetValue(job.JobId, out var current) || current.Failure is not null)
        {
            job.SetAll(results, UpdateOutcomeKind.Retry, $"the job could not be read ({current?.Failure ?? "no answer for it"})");
            return null;
        }

        var baseline = current.Job;
        var isNew = false;
        if (baseline is null)
        {
            baseline = job.CreateIfMissing;
            if (baseline is null)
            {
                job.SetAll(results, UpdateOutcomeKind.JobNotFound, null);
                return null;
            }

            isNew = true;
        }

        var merge = JobMerger.Apply(baseline, job.Updates, received, current.Known);
        if (merge.NeedsHistory)
        {
            var history = isNew ? [JobMerger.CreationEvent(baseline)] : await backend.LoadHistoryAsync(job.JobId, cancellationToken).ConfigureAwait(false);
            merge = JobMerger.Apply(baseline, job.Updates, received, current.Known, history);
        }

        job.Set(results, merge.Results);
        if (!merge.Changed && !isNew)
        {
            return null;
        }

        var events = isNew ? [JobMerger.CreationEvent(baseline), .. merge.Events] : merge.Events;
        return new JobChange(job.JobId, merge.Job, current.Version, isNew, events);
    }

    private static List<JobGroup> Group(IReadOnlyList<JobUpdate> updates)
    {
        var byJob = new Dictionary<string, JobGroup>(StringComparer.Ordinal);
        var order = new List<JobGroup>();
        for (var i = 0; i < updates.Count; i++)
        {
            var jobId = updates[i].Message.JobId;
            if (!byJob.TryGetValue(jobId, out var job))
            {
                job = new JobGroup(jobId);
                byJob[jobId] = job;
                order.Add(job);
            }

            job.Add(i, updates[i]);
        }

        return order;
    }

    /// <summary>One job's updates and where they sit in the batch.</summary>
    private sealed class JobGroup(string jobId)
    {
        private readonly List<int> _positions = [];
        private readonly List<JobUpdate> _updates = [];

        public string JobId { get; } = jobId;

        public IReadOnlyList<JobUpdate> Updates => _updates;

        public IReadOnlyList<string> UpdateIds => [.. _updates.Select(u => u.Message.Id).Distinct(StringComparer.Ordinal)];

        public JobDocument? CreateIfMissing => _updates.Select(u => u.CreateIfMissing).FirstOrDefault(d => d is not null);

        public void Add(int position, JobUpdate update)
        {
            _positions.Add(position);
            _updates.Add(update);
        }

        public void Set(UpdateResult?[] results, IReadOnlyList<UpdateResult> merged)
        {
            for (var i = 0; i < _positions.Count; i++)
            {
                results[_positions[i]] = merged[i];
            }
        }

        public void SetAll(UpdateResult?[] results, UpdateOutcomeKind outcome, string? reason)
        {
            for (var i = 0; i < _positions.Count; i++)
            {
                results[_positions[i]] = new UpdateResult(_updates[i].Message.Id, JobId, outcome, reason);
            }
        }
    }
}
