using System.Collections.Concurrent;

namespace Jobs.Embedded.Engine;

/// <summary>
/// How long the outbox keeps a change (<see cref="EmbeddedStoreOptions.OutboxRetentionHours"/>):
/// every change is a document of the outbox index with the job as it left it, so without a bound
/// the outbox would grow with every update for ever. A change is deleted once it is older than
/// the retention and every consumer that reported its progress (<see cref="Handled"/>: the
/// notification dispatcher) has handled it, so an undelivered change is kept however old it is.
/// Live streams are not consumers: a stream resuming from a change already deleted starts at the
/// oldest one kept (docs/notifications.md).
/// </summary>
internal sealed class OutboxRetention(EmbeddedStoreOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _handled = new(StringComparer.Ordinal);
    private readonly long _started = time.GetTimestamp();
    private long _lastSweep = time.GetTimestamp();

    private TimeSpan Retention => TimeSpan.FromHours(options.OutboxRetentionHours);

    /// <summary>A sweep runs this often: a tenth of the retention, at most hourly, at least every minute.</summary>
    private TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(Retention.Ticks / 10, TimeSpan.TicksPerMinute, TimeSpan.TicksPerHour));

    /// <summary>Records that <paramref name="consumer"/> handled every change up to <paramref name="sequence"/>.</summary>
    public void Handled(string consumer, long sequence) =>
        _handled.AddOrUpdate(consumer, sequence, (_, known) => Math.Max(known, sequence));

    /// <summary>The first sequence no consumer has handled yet (every sequence when none reported).</summary>
    public long KeepFrom => _handled.IsEmpty ? long.MaxValue : _handled.Values.Min() + 1;

    /// <summary>
    /// Deletes what is past the retention when a sweep is due. The first sweep waits one interval
    /// after the store opened, so a consumer of this host reports where it is before anything goes.
    /// </summary>
    public bool SweepIfDue(StorageEngine engine)
    {
        if (options.OutboxRetentionHours <= 0 || time.GetElapsedTime(_lastSweep) < Interval || time.GetElapsedTime(_started) < Interval)
        {
            return false;
        }

        _lastSweep = time.GetTimestamp();
        engine.Outbox.DeleteOlderThan(time.GetUtcNow() - Retention, KeepFrom);
        return true;
    }
}
