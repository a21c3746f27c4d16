namespace Jobs.Core.Notifications;

/// <summary>
/// The outbox port: the job changes a store made durable, in order. A store offers it when each
/// change and its <see cref="OutboxEvent"/> become durable together (the embedded store: one
/// write-ahead log record; see docs/notifications.md for the Elasticsearch store).
/// </summary>
/// <remarks>
/// Contract: <see cref="ReadAsync"/> returns only durable changes, oldest first, and never skips
/// one: once a read has returned sequence N, no change with a lower sequence appears later. So a
/// consumer that keeps the last sequence it handled and reads after it misses nothing and sees
/// each change once per read.
/// </remarks>
public interface IJobOutbox
{
    /// <summary>
    /// Up to <paramref name="limit"/> changes with a sequence above <paramref name="after"/>,
    /// oldest first; only the job <paramref name="jobId"/>'s when given.
    /// </summary>
    Task<IReadOnlyList<OutboxEvent>> ReadAsync(long after, string? jobId, int limit, CancellationToken cancellationToken);

    /// <summary>The sequence of the newest durable change (0: none yet): where a new live stream starts.</summary>
    long Head { get; }

    /// <summary>
    /// Tells the store that <paramref name="consumer"/> (a durable reader such as the notification
    /// dispatcher) has handled every change up to <paramref name="sequence"/>: a store that expires
    /// old changes keeps those a consumer still needs. Stores that keep every change ignore it.
    /// </summary>
    void Handled(string consumer, long sequence)
    {
    }

    /// <summary>Completes once a change with a sequence above <paramref name="after"/> is durable (or on cancellation).</summary>
    Task WaitAsync(long after, CancellationToken cancellationToken);
}
