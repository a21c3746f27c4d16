using System.Text.Json;
using Jobs.Core.Jobs;

namespace Jobs.Core.Merging;

/// <summary>
/// The merge rule as a left fold over events in <see cref="EventOrder"/>. Its whole state is
/// the document's derived fields, so folding further events onto a stored document gives exactly
/// what replaying every event from the start would: that is what keeps an in-order update's
/// cost independent of the job's history.
/// </summary>
internal sealed class MergeFold
{
    private readonly Dictionary<string, JsonElement> _outputs;
    private readonly List<string> _labels;
    private readonly HashSet<string> _labelSet;
    private JobStatus _status;
    private string? _stage, _message;
    private int? _progress;
    private JobError? _error;
    private DateTimeOffset? _startTime, _stopTime, _lastEventTime, _stalledSince;

    private MergeFold(JobDocument? from)
    {
        _outputs = from is null ? new(StringComparer.Ordinal) : new(from.Outputs, StringComparer.Ordinal);
        _labels = from is null ? [] : [.. from.Labels];
        _labelSet = new(_labels, StringComparer.Ordinal);
        if (from is not null)
        {
            _status = from.Status;
            _stage = from.Stage;
            _message = from.Message;
            _progress = from.Progress;
            _error = from.Error;
            _startTime = from.StartTime;
            _stopTime = from.StopTime;
            _lastEventTime = from.LastEventTime;
            _stalledSince = from.StalledSince;
        }
    }

    /// <summary>Nothing folded yet: a replay from the creation event.</summary>
    public static MergeFold Fresh() => new(null);

    /// <summary>The state a stored document's derived fields hold.</summary>
    public static MergeFold Continue(JobDocument job) => new(job);

    /// <summary>Folds one (merged) event in; the event back with its outcome and reason.</summary>
    public JobEvent Step(JobEvent e)
    {
        if (e.Source == EventSources.Stalled && e.Status is null)
        {
            return StepStalled(e);
        }

        var terminalBefore = _status.IsTerminal();
        string? reason = null;
        var statusRefused = false;
        if (e.Status is { } s)
        {
            if (terminalBefore)
            {
                statusRefused = true;
                reason = $"status ignored: the job was already {_status.ToIndexValue()} (the earliest terminal event decides)";
            }
            else if (s.Rank() < _status.Rank())
            {
                statusRefused = true;
                reason = $"status ignored: {s.ToIndexValue()} would move the job back from {_status.ToIndexValue()}";
            }
            else
            {
                _status = s;
                if (s == JobStatus.Running)
                {
                    _startTime ??= e.Time;
                }

                if (s.IsTerminal())
                {
                    _stopTime = e.Time;
                }
            }
        }

        if (!terminalBefore && !statusRefused)
        {
            _stage = e.Stage ?? _stage;
            _progress = e.Progress ?? _progress;
            _message = e.Message ?? _message;
            _error = e.Error ?? _error;
        }
        else if (e.HasScalars)
        {
            reason ??= $"fields ignored: the job was already {_status.ToIndexValue()} (the earliest terminal event decides)";
        }

        var setsSomething = false;
        if (e.Outputs is { Count: > 0 })
        {
            foreach (var (key, value) in e.Outputs)
            {
                _outputs[key] = value;
            }

            setsSomething = true;
        }

        if (e.Labels is { IsEmpty: false } changes)
        {
            foreach (var label in changes.Add ?? [])
            {
                if (_labelSet.Add(label))
                {
                    _labels.Add(label);
                }
            }

            foreach (var label in changes.Remove ?? [])
            {
                if (_labelSet.Remove(label))
                {
                    _labels.Remove(label);
                }
            }

            setsSomething = true;
        }

        var superseded = reason is not null && !setsSomething;
        if (!superseded && !e.IsCreation)
        {
            _lastEventTime = _lastEventTime is null || e.Time > _lastEventTime ? e.Time : _lastEventTime;
            _stalledSince = null;
        }

        return e with { Outcome = superseded ? EventOutcome.Superseded : EventOutcome.Applied, Reason = reason };
    }

    /// <summary>
    /// A stalled marker: marks a running job (once) and changes nothing else, not even
    /// <c>updated</c>, so the job's last real update stays visible and the next one clears it.
    /// </summary>
    private JobEvent StepStalled(JobEvent e)
    {
        if (_status != JobStatus.Running)
        {
            return e with { Outcome = EventOutcome.Superseded, Reason = $"stalled marker ignored: the job is {_status.ToIndexValue()}, not running" };
        }

        _stalledSince ??= e.Time;
        return e with { Outcome = EventOutcome.Applied, Reason = null };
    }

    /// <summary>The job with the folded derived fields.</summary>
    public JobDocument Into(JobDocument job)
    {
        var updated = _lastEventTime is { } last && last > job.Created ? last : job.Created;
        return job with
        {
            Status = _status,
            Stage = _stage,
            Progress = _progress,
            Message = _message,
            Error = _error,
            Outputs = _outputs,
            Labels = _labels,
            StartTime = _startTime,
            StopTime = _stopTime,
            Duration = _startTime is { } start && _stopTime is { } stop ? Math.Max(0, (stop - start).TotalSeconds) : null,
            LastEventTime = _lastEventTime,
            StalledSince = _stalledSince,
            Updated = updated,
        };
    }
}
