using Jobs.Core.Jobs;
using Jobs.Core.Updates;

namespace Jobs.Core.Merging;

/// <summary>
/// The deterministic merge rule (docs/architecture.md, "The merge rule").
/// <para>
/// A job's derived fields are a pure function of the set of its events: the events are replayed
/// in <see cref="EventOrder"/> (creation first, then event time, then status rank, then update
/// id), so any permutation of the same updates, with any duplicates, gives the same document.
/// During the replay status only moves up in rank (submitted &lt; running &lt; terminal), the
/// earliest terminal event decides the terminal status, and an event that loses to the rank rule
/// cannot overwrite stage, progress, message or error. Outputs merge by key and labels are added
/// and removed as sets, whatever the status; when two events touch the same output or label, the
/// later one in the replay wins.
/// </para>
/// <para>
/// The events live outside the document (the store's events index); the document keeps the
/// fold's state (<see cref="MergeFold"/>) and the key of the last event folded
/// (<see cref="MergeState"/>). Updates that sort after that key — the usual case, a worker
/// reporting in order — are folded onto the document at a cost independent of the history. An
/// update that sorts before it needs the job's events (<see cref="MergeResult.NeedsHistory"/>):
/// the caller loads them and calls again, and the whole history is replayed.
/// </para>
/// </summary>
public static class JobMerger
{
    /// <summary>How many rejected updates a job's history records (the first ones; later ones are counted only).</summary>
    public const int MaxRejectedEvents = 50;

    /// <summary>
    /// A job's result after a batch of updates. <see cref="Events"/> are the events to store
    /// (new ones, rejected ones, corrections, and older ones whose outcome a replay changed).
    /// </summary>
    public sealed record MergeResult(JobDocument Job, IReadOnlyList<UpdateResult> Results, bool Changed, IReadOnlyList<JobEvent> Events)
    {
        /// <summary>Nothing was merged: call again with the job's events.</summary>
        public bool NeedsHistory { get; init; }
    }

    /// <summary>A new job: status submitted, the initial labels, and the merge state of its creation event.</summary>
    public static JobDocument Create(JobDocument job, IReadOnlyList<string>? labels, string source = EventSources.Execute)
    {
        var creation = NewCreationEvent(job with { Labels = labels ?? [] }, source);
        var fold = MergeFold.Fresh();
        fold.Step(creation);
        return fold.Into(job) with
        {
            Merge = new MergeState { LastKey = EventOrder.Key(creation), CreatedBy = source },
            LegacyEvents = null,
        };
    }

    /// <summary>
    /// The creation event of a job just made by <see cref="Create"/> (stores write it with the
    /// job): status submitted and the job's initial labels.
    /// </summary>
    public static JobEvent CreationEvent(JobDocument job) => NewCreationEvent(job, job.Merge?.CreatedBy ?? EventSources.Execute);

    private static JobEvent NewCreationEvent(JobDocument job, string source) => new()
    {
        Id = job.Id,
        Time = job.Created,
        Received = job.Created,
        Source = source,
        Status = JobStatus.Submitted,
        Labels = job.Labels is { Count: > 0 } labels ? new LabelChanges(labels, null) : null,
    };

    /// <summary>
    /// Applies a batch of updates of one job: checks update tokens first (a wrong token is
    /// rejected whatever else the message says), drops duplicates (ids in <paramref name="known"/>,
    /// the ids of the job's merged events the store found, or repeated in the batch), and folds
    /// the new events in. <paramref name="history"/>: every event of the job, needed only when
    /// the result says <see cref="MergeResult.NeedsHistory"/>. Results follow the order of
    /// <paramref name="updates"/>.
    /// </summary>
    public static MergeResult Apply(
        JobDocument job, IReadOnlyList<JobUpdate> updates, DateTimeOffset received, IReadOnlySet<string> known, IReadOnlyList<JobEvent>? history = null)
    {
        if (job.LegacyEvents is { } legacy)
        {
            history = legacy;
            known = legacy.Where(e => e.IsMerged).Select(e => e.Id).Concat(known).ToHashSet(StringComparer.Ordinal);
        }

        var state = job.Merge ?? new MergeState { LastKey = EventOrder.Key(CreationEvent(job)) };
        var results = new UpdateResult?[updates.Count];
        var fresh = new List<(int Index, JobEvent Event)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var toStore = new List<JobEvent>();
        var rejected = state.Rejected;
        var unrecorded = state.RejectedUnrecorded;

        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            var message = update.Message;
            if (!string.Equals(message.JobId, job.Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Update {message.Id} is for job {message.JobId}, not {job.Id}.", nameof(updates));
            }

            // The token first: without it, nothing about the job (not even which update ids it has) is told.
            if ((update.Trusted ? null : CheckToken(job, message)) is { } rejection)
            {
                results[i] = new UpdateResult(message.Id, job.Id, UpdateOutcomeKind.Rejected, rejection);
                if (rejected < MaxRejectedEvents)
                {
                    toStore.Add(RejectedEvent(update, received, rejection));
                    rejected++;
                }
                else
                {
                    unrecorded++;
                }

                continue;
            }

            if (known.Contains(message.Id) || !seen.Add(message.Id))
            {
                results[i] = new UpdateResult(message.Id, job.Id, UpdateOutcomeKind.Duplicate);
                continue;
            }

            fresh.Add((i, ToEvent(update, received)));
        }

        if (fresh.Count == 0 && job.LegacyEvents is null)
        {
            var counted = state with { Rejected = rejected, RejectedUnrecorded = unrecorded };
            return counted == state
                ? new MergeResult(job, results!, false, [])
                : new MergeResult(job with { Merge = counted }, results!, true, toStore);
        }

        fresh.Sort((a, b) => EventOrder.Instance.Compare(a.Event, b.Event));
        var appends = job.LegacyEvents is null && string.CompareOrdinal(EventOrder.Key(fresh[0].Event), state.LastKey) > 0;
        if (!appends && history is null)
        {
            return new MergeResult(job, [], false, []) { NeedsHistory = true };
        }

        JobDocument merged;
        var outcomes = new Dictionary<string, JobEvent>(StringComparer.Ordinal);
        string lastKey;
        if (appends)
        {
            var fold = MergeFold.Continue(job);
            foreach (var (_, e) in fresh)
            {
                var folded = fold.Step(e);
                outcomes[e.Id] = folded;
                toStore.Add(folded);
            }

            merged = fold.Into(job);
            lastKey = EventOrder.Key(fresh[^1].Event);
        }
        else
        {
            var past = history!.Where(e => e.IsMerged).ToDictionary(e => e.Id, StringComparer.Ordinal);
            foreach (var (i, e) in fresh.Where(f => past.ContainsKey(f.Event.Id)))
            {
                // In the history although the store's lookup missed it: a duplicate all the same.
                results[i] = new UpdateResult(e.Id, job.Id, UpdateOutcomeKind.Duplicate);
            }

            fresh.RemoveAll(f => past.ContainsKey(f.Event.Id));

            var all = past.Values.Concat(fresh.Select(f => f.Event)).OrderBy(e => e, EventOrder.Instance).ToList();
            var fold = MergeFold.Fresh();
            foreach (var e in all)
            {
                var folded = fold.Step(e);
                if (past.TryGetValue(e.Id, out var before))
                {
                    // A replay may change what older events came to (a late earlier event); legacy events all move.
                    if (job.LegacyEvents is not null || before.Outcome != folded.Outcome || before.Reason != folded.Reason)
                    {
                        toStore.Add(folded);
                    }
                }
                else
                {
                    outcomes[e.Id] = folded;
                    toStore.Add(folded);
                }
            }

            if (job.LegacyEvents is not null)
            {
                toStore.AddRange(job.LegacyEvents.Where(e => e.Outcome == EventOutcome.Rejected).Take(MaxRejectedEvents - rejected));
            }

            merged = fold.Into(job);
            lastKey = all.Count > 0 ? EventOrder.Key(all[^1]) : state.LastKey;
            if (Correction(job, merged, fresh, received) is { } correction)
            {
                toStore.Add(correction);
            }
        }

        merged = merged with
        {
            LegacyEvents = null,
            Merge = state with { LastKey = lastKey, Rejected = rejected, RejectedUnrecorded = unrecorded },
        };
        foreach (var (i, e) in fresh)
        {
            var folded = outcomes[e.Id];
            var kind = folded.Outcome == EventOutcome.Superseded ? UpdateOutcomeKind.Superseded : UpdateOutcomeKind.Applied;
            results[i] = new UpdateResult(e.Id, job.Id, kind, folded.Reason);
        }

        return new MergeResult(merged, results!, true, toStore);
    }

    /// <summary>
    /// Replays a complete history (every merged event, creation included) onto the job's fixed
    /// fields: the document any store must hold for these events, and each event's outcome, in
    /// replay order. For tests and checks; stores use <see cref="Apply"/>.
    /// </summary>
    public static (JobDocument Job, IReadOnlyList<JobEvent> Events) Replay(JobDocument job, IEnumerable<JobEvent> events)
    {
        var fold = MergeFold.Fresh();
        var folded = events.Where(e => e.IsMerged).OrderBy(e => e, EventOrder.Instance).Select(fold.Step).ToList();
        return (fold.Into(job), folded);
    }

    /// <summary>
    /// A visible record that a late event moved the job's terminal status or stop time (the
    /// earliest terminal event decides, so a terminal status can change once an earlier-timed
    /// terminal event arrives).
    /// </summary>
    private static JobEvent? Correction(JobDocument before, JobDocument after, List<(int Index, JobEvent Event)> fresh, DateTimeOffset received)
    {
        if (!before.Status.IsTerminal() || (before.Status == after.Status && before.StopTime == after.StopTime))
        {
            return null;
        }

        var cause = fresh.Select(f => f.Event).FirstOrDefault(e => e.Status is { } s && s.IsTerminal() && e.Time == after.StopTime)
            ?? fresh[0].Event;
        return new JobEvent
        {
            Id = cause.Id,
            Time = received,
            Received = received,
            Source = EventSources.Merge,
            Status = after.Status,
            Outcome = EventOutcome.Corrected,
            Reason = $"terminal status corrected from {before.Status.ToIndexValue()} (stopped {before.StopTime:O}) to "
                + $"{after.Status.ToIndexValue()} (stopped {after.StopTime:O}): update {cause.Id} has an earlier time, and the earliest terminal event decides",
        };
    }

    private static string? CheckToken(JobDocument job, UpdateMessage message)
    {
        if (job.TokenSha256 is null)
        {
            return "the job has no update token (it was created by a legacy message); only trusted sources may update it";
        }

        return UpdateToken.Verify(message.Token, job.TokenSha256)
            ? null
            : "the update token does not match this job's token";
    }

    private static JobEvent ToEvent(JobUpdate update, DateTimeOffset received)
    {
        var m = update.Message;
        return new JobEvent
        {
            Id = m.Id,
            Time = m.Time,
            Received = received,
            Source = update.Source,
            Status = m.Status,
            Stage = m.Stage,
            Progress = m.Progress,
            Message = m.Message,
            Outputs = m.Outputs is { Count: > 0 } ? m.Outputs : null,
            Labels = m.Labels is { IsEmpty: false } ? m.Labels : null,
            Error = m.Error,
        };
    }

    /// <summary>A rejected update as the history keeps it: who, when and why, not what it carried (bounded bytes).</summary>
    private static JobEvent RejectedEvent(JobUpdate update, DateTimeOffset received, string reason) => new()
    {
        Id = update.Message.Id,
        Time = update.Message.Time,
        Received = received,
        Source = update.Source,
        Status = update.Message.Status,
        Outcome = EventOutcome.Rejected,
        Reason = reason,
    };
}
