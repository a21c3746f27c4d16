using System.Text.Json.Serialization;

namespace Jobs.Core.Notifications;

/// <summary>Where a delivery stands.</summary>
public enum DeliveryState
{
    Pending,
    Delivered,

    /// <summary>Every try failed (or the target is refused for good).</summary>
    Failed,
}

/// <summary>One try to deliver: when, the answer's status code (null: no answer) and what went wrong.</summary>
public sealed record DeliveryAttempt(DateTimeOffset Time, int? StatusCode, string? Error, double Milliseconds);

/// <summary>
/// One event for one subscription: its body (rendered once, so every try sends the same
/// bytes), its tries, and when to try next. Deliveries of one subscription and one job go out in
/// sequence order: a later one waits while an earlier one is pending.
/// </summary>
public sealed record Delivery
{
    public required string Id { get; init; }

    public required string SubscriptionId { get; init; }

    public required long Sequence { get; init; }

    public required string JobId { get; init; }

    public required string EventType { get; init; }

    /// <summary>The target with its template variables filled in.</summary>
    public required string Url { get; init; }

    public required string Body { get; init; }

    /// <summary>For e-mail: the subject line.</summary>
    public string? Subject { get; init; }

    public DeliveryState State { get; init; } = DeliveryState.Pending;

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset NextAttempt { get; init; }

    public IReadOnlyList<DeliveryAttempt> Attempts { get; init; } = [];

    private readonly string? _eventId;

    /// <summary>
    /// The event's id (the <c>Jobs-Event-Id</c> header, <see cref="OutboxEvent.Id"/>); when not
    /// given, the store-wide cursor <see cref="Sequence"/>.
    /// </summary>
    public string EventId
    {
        get => _eventId ?? Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        init => _eventId = value;
    }
}
