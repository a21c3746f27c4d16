namespace Jobs.Core.Notifications;

/// <summary>
/// Where subscriptions, their deliveries and the dispatcher's cursor live (adapter:
/// <c>Jobs.Notifications</c>' SQLite file). Every write is durable when it returns.
/// </summary>
public interface INotificationStore
{
    Task AddSubscriptionsAsync(IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken);

    Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken);

    /// <summary>The subscriptions of an owner (every one when null), of one job when given, newest first.</summary>
    Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string? owner, string? jobId, CancellationToken cancellationToken);

    /// <summary>The active subscriptions a change of this job may concern: the job's own and every filter subscription.</summary>
    Task<IReadOnlyList<Subscription>> CandidatesAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Removes a subscription and its pending deliveries; false when there is none.</summary>
    Task<bool> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Marks a fire-once subscription as used up.</summary>
    Task RetireSubscriptionAsync(string id, CancellationToken cancellationToken);

    /// <summary>The last outbox sequence the consumer handled (0: none).</summary>
    Task<long> GetCursorAsync(string consumer, CancellationToken cancellationToken);

    /// <summary>Adds deliveries and moves the consumer's cursor, in one transaction (so no event is skipped or queued twice).</summary>
    Task EnqueueAsync(IReadOnlyList<Delivery> deliveries, string consumer, long cursor, CancellationToken cancellationToken);

    /// <summary>
    /// Pending deliveries due at <paramref name="now"/>, oldest sequence first, at most one per
    /// (subscription, job): the earliest pending one, so each job's events go out in order.
    /// </summary>
    Task<IReadOnlyList<Delivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>The earliest next try of any pending delivery; null: none pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Records a try and the delivery's new state and next try.</summary>
    Task RecordAttemptAsync(string deliveryId, DeliveryAttempt attempt, DeliveryState state, DateTimeOffset nextAttempt, CancellationToken cancellationToken);

    /// <summary>A subscription's deliveries, newest first.</summary>
    Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(string subscriptionId, int limit, CancellationToken cancellationToken);
}
