using System.Diagnostics.Metrics;

namespace Jobs.UpdatesFunction.Consumer;

/// <summary>
/// The consumer's OpenTelemetry instruments (meter <c>Jobs.Updates</c>): one counter of updates
/// by outcome (<c>applied</c>, <c>superseded</c>, <c>duplicate</c>, <c>rejected</c>,
/// <c>retried</c>) and the time a batch takes.
/// </summary>
public sealed class UpdateMetrics : IDisposable
{
    public const string MeterName = "Jobs.Updates";

    private readonly Meter _meter;
    private readonly Counter<long> _updates;
    private readonly Histogram<double> _batchDuration;

    public UpdateMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _updates = _meter.CreateCounter<long>("jobs.updates", "{update}",
            "Update messages consumed, by outcome: applied, superseded, duplicate, rejected (permanent failure), retried (returned to the queue).");
        _batchDuration = _meter.CreateHistogram<double>("jobs.updates.batch.duration", "s",
            "Time to validate and store one batch of update messages.");
    }

    /// <summary>The meter behind the instruments (tests listen to exactly this one).</summary>
    internal Meter Meter => _meter;

    public void Count(string outcome, string source) =>
        _updates.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("source", source));

    public void BatchDone(TimeSpan elapsed, int size) =>
        _batchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("batch.size", size));

    public void Dispose() => _meter.Dispose();
}
