using Jobs.Core.Notifications;

namespace Jobs.Notifications;

/// <summary>The outbox of a store that keeps none: empty, and never wakes anyone (subscriptions then deliver nothing).</summary>
internal sealed class NoOutbox : IJobOutbox
{
    public static readonly NoOutbox Instance = new();

    public long Head => 0;

    public Task<IReadOnlyList<OutboxEvent>> ReadAsync(long after, string? jobId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OutboxEvent>>([]);

    public Task WaitAsync(long after, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
}
