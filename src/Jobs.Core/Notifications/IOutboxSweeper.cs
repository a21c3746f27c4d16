namespace Jobs.Core.Notifications;

/// <summary>
/// The second half of a store's at-least-once outbox where writing a change and publishing its
/// event are two steps (Elasticsearch): finds the events that stayed unpublished longer than a
/// grace period (the writer crashed, or the publisher was unavailable) and publishes them.
/// </summary>
public interface IOutboxSweeper
{
    /// <summary>One pass; returns how many events it published.</summary>
    Task<int> SweepAsync(CancellationToken cancellationToken);
}
