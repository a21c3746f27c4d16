using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Updates;

namespace Jobs.Core.Merging;

/// <summary>
/// The deterministic merge rule (docs/architecture.md, "The merge rule").
/// <para>
/// A job's derived fields are a pure function of the set of its events: the events are replayed
/// in a canonical order (creation first, then event time, then status rank, then update id), so
/// any permutation of the same updates, with any duplicates, gives the same document. During the
/// replay status only moves up in rank (submitted &lt; running &lt; terminal), a terminal status
/// never changes, and an event that loses to the rank rule cannot overwrite stage, progress,
/// message or error. Outputs merge by key and labels are added and removed as sets, whatever the
/// status; when two events touch the same output or label, the later one in the replay wins.
/// </para>
/// </summary>
public static class JobMerger
{
    /// <summary>How many rejected events a job's history keeps (the newest ones).</summary>
    public const int MaxRejectedEvents = 50;

    /// <summary>A job's result after a batch of updates.</summary>
    public sealed record MergeResult(JobDocument Job, IReadOnlyList<UpdateResult> Results, bool Changed);

    /// <summary>
    /// A new job: its creation event (status submitted, the initial labels) and the derived fields.
    /// </summary>
    public static JobDocument Create(JobDocument job, IReadOnlyList<string>? labels, string source = EventSources.Execute)
    {
        var creation = new JobEvent
        {
            Id = job.Id,
            Time = job.Created,
            Received = job.Created,
            Source = source,
            Status = JobStatus.Submitted,
            Labels = labels is { Count: > 0 } ? new LabelChanges(labels, null) : null,
        };
        return Materialize(job with { Events = [creation] });
    }

    /// <summary>
    /// Applies a batch of updates of one job: drops duplicates, checks update tokens, records the
    /// events and recomputes the derived fields. Results follow the order of <paramref name="updates"/>.
    /// </summary>
    public static MergeResult Apply(JobDocument job, IReadOnlyList<JobUpdate> updates, DateTimeOffset received)
    {
        var events = job.Events.ToList();
        var known = new HashSet<string>(events.Where(e => e.Outcome != EventOutcome.Rejected).Select(e => e.Id), StringComparer.Ordinal);
        var results = new UpdateResult?[updates.Count];
        var added = new Dictionary<string, int>(StringComparer.Ordinal); // update id -> index in updates
        var changed = false;

        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            var message = update.Message;
            if (!string.Equals(message.JobId, job.Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Update {message.Id} is for job {message.JobId}, not {job.Id}.", nameof(updates));
            }

            if (known.Contains(message.Id))
            {
                results[i] = new UpdateResult(message.Id, job.Id, UpdateOutcomeKind.Duplicate);
                continue;
            }

            var rejection = update.Trusted ? null : CheckToken(job, message);
            events.RemoveAll(e => e.Outcome == EventOutcome.Rejected && e.Id == message.Id);
            events.Add(ToEvent(update, received, rejection));
            changed = true;
            if (rejection is not null)
            {
                results[i] = new UpdateResult(message.Id, job.Id, UpdateOutcomeKind.Rejected, rejection);
                continue;
            }

            known.Add(message.Id);
            added[message.Id] = i;
        }

        if (!changed)
        {
            return new MergeResult(job, results!, false);
        }

        var merged = Materialize(job with { Events = TrimRejected(events) });
        foreach (var e in merged.Events)
        {
            if (added.TryGetValue(e.Id, out var i))
            {
                var kind = e.Outcome == EventOutcome.Superseded ? UpdateOutcomeKind.Superseded : UpdateOutcomeKind.Applied;
                results[i] = new UpdateResult(e.Id, job.Id, kind, e.Reason);
            }
        }

        return new MergeResult(merged, results!, true);
    }

    /// <summary>
    /// Recomputes every derived field of <paramref name="job"/> from its events, and each event's
    /// outcome. The events come back in canonical (history) order.
    /// </summary>
    public static JobDocument Materialize(JobDocument job)
    {
        var ordered = job.Events.OrderBy(e => e, EventOrder.Instance).ToList();

        var status = JobStatus.Submitted;
        string? stage = null, message = null;
        int? progress = null;
        JobError? error = null;
        DateTimeOffset? startTime = null, stopTime = null, lastEventTime = null;
        var outputs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var labels = new List<string>();
        var labelSet = new HashSet<string>(StringComparer.Ordinal);

        for (var n = 0; n < ordered.Count; n++)
        {
            var e = ordered[n];
            if (e.Outcome == EventOutcome.Rejected)
            {
                continue;
            }

            var terminalBefore = status.IsTerminal();
            string? reason = null;
            var statusRefused = false;
            if (e.Status is { } s)
            {
                if (terminalBefore)
                {
                    statusRefused = true;
                    reason = $"status ignored: the job was already {status.ToIndexValue()} (a terminal status never changes)";
                }
                else if (s.Rank() < status.Rank())
                {
                    statusRefused = true;
                    reason = $"status ignored: {s.ToIndexValue()} would move the job back from {status.ToIndexValue()}";
                }
                else
                {
                    status = s;
                    if (s == JobStatus.Running)
                    {
                        startTime ??= e.Time;
                    }

                    if (s.IsTerminal())
                    {
                        stopTime = e.Time;
                    }
                }
            }

            var scalarsAllowed = !terminalBefore && !statusRefused;
            if (scalarsAllowed)
            {
                stage = e.Stage ?? stage;
                progress = e.Progress ?? progress;
                message = e.Message ?? message;
                error = e.Error ?? error;
            }
            else if (e.HasScalars)
            {
                reason ??= $"fields ignored: the job was already {status.ToIndexValue()} (a terminal status never changes)";
            }

            var setsSomething = false;
            if (e.Outputs is { Count: > 0 })
            {
                foreach (var (key, value) in e.Outputs)
                {
                    outputs[key] = value;
                }

                setsSomething = true;
            }

            if (e.Labels is { IsEmpty: false } changes)
            {
                foreach (var label in changes.Add ?? [])
                {
                    if (labelSet.Add(label))
                    {
                        labels.Add(label);
                    }
                }

                foreach (var label in changes.Remove ?? [])
                {
                    if (labelSet.Remove(label))
                    {
                        labels.Remove(label);
                    }
                }

                setsSomething = true;
            }

            var superseded = reason is not null && !setsSomething;
            if (!superseded && !e.IsCreation)
            {
                lastEventTime = lastEventTime is null || e.Time > lastEventTime ? e.Time : lastEventTime;
            }

            ordered[n] = e with
            {
                Outcome = superseded ? EventOutcome.Superseded : EventOutcome.Applied,
                Reason = reason,
            };
        }

        var updated = lastEventTime is { } last && last > job.Created ? last : job.Created;
        return job with
        {
            Status = status,
            Stage = stage,
            Progress = progress,
            Message = message,
            Error = error,
            Outputs = outputs,
            Labels = labels,
            StartTime = startTime,
            StopTime = stopTime,
            Duration = startTime is { } start && stopTime is { } stop ? Math.Max(0, (stop - start).TotalSeconds) : null,
            LastEventTime = lastEventTime,
            Updated = updated,
            Events = ordered,
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

    private static JobEvent ToEvent(JobUpdate update, DateTimeOffset received, string? rejection)
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
            Outcome = rejection is null ? EventOutcome.Applied : EventOutcome.Rejected,
            Reason = rejection,
        };
    }

    private static List<JobEvent> TrimRejected(List<JobEvent> events)
    {
        var rejected = events.Where(e => e.Outcome == EventOutcome.Rejected).ToList();
        if (rejected.Count <= MaxRejectedEvents)
        {
            return events;
        }

        var drop = rejected.OrderBy(e => e, EventOrder.Instance).Take(rejected.Count - MaxRejectedEvents).ToHashSet();
        return events.Where(e => !drop.Contains(e)).ToList();
    }

    /// <summary>The canonical replay order: creation, then time, then status rank, then id.</summary>
    private sealed class EventOrder : IComparer<JobEvent>
    {
        public static readonly EventOrder Instance = new();

        public int Compare(JobEvent? x, JobEvent? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            var c = y.IsCreation.CompareTo(x.IsCreation);
            if (c != 0)
            {
                return c;
            }

            c = x.Time.UtcTicks.CompareTo(y.Time.UtcTicks);
            if (c != 0)
            {
                return c;
            }

            c = RankOf(x).CompareTo(RankOf(y));
            return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
        }

        private static int RankOf(JobEvent e) => e.Status?.Rank() ?? -1;
    }
}
