namespace Jobs.Core.Notifications;

/// <summary>
/// Where a store without a store-wide durable sequence (Elasticsearch) sends the events of its
/// changes once they are written (adapter: <c>Jobs.Aws</c>' SQS FIFO queue). The store keeps
/// each event in the job's own document until a publish of it succeeded, and a sweep
/// (<see cref="IOutboxSweeper"/>) publishes what a crash left behind: delivery is at least once,
/// with stable <see cref="OutboxEvent.Id"/>s so duplicates can be dropped.
/// </summary>
public interface IEventPublisher
{
    /// <summary>
    /// Publishes the events; each job's events are given in their order and must stay in it.
    /// Throws when any of them may not have been taken (the store keeps them for later).
    /// </summary>
    Task PublishAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken);
}
