using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Jobs.UpdatesFunction.Consumer;

namespace Jobs.Functions.Tests.Fakes;

/// <summary>Listens to the <c>jobs.updates</c> counter of one <see cref="UpdateMetrics"/> and sums it by outcome.</summary>
internal sealed class OutcomeCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public OutcomeCounter(Meter meterOfInterest)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meterOfInterest) && instrument.Name == "jobs.updates")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    _counts.AddOrUpdate((string)tag.Value!, value, (_, v) => v + value);
                }
            }
        });
        _listener.Start();
    }

    public long this[string outcome] => _counts.GetValueOrDefault(outcome);

    public void Dispose() => _listener.Dispose();
}
