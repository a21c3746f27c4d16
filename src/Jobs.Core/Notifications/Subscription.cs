using System.Text.Json.Serialization;

namespace Jobs.Core.Notifications;

/// <summary>What a delivery's body is: the event envelope, or what OGC API - Processes' callbacks carry.</summary>
public enum DeliveryStyle
{
    /// <summary>The event as the live streams carry it (with the job's statusInfo).</summary>
    Event,

    /// <summary>An OGC <c>subscriber</c> callback (<c>inProgressUri</c>, <c>failedUri</c>): the job's statusInfo.</summary>
    OgcStatusInfo,

    /// <summary>An OGC <c>subscriber.successUri</c> callback: the job's results document.</summary>
    OgcResults,
}

/// <summary>
/// Who is told what, and where (docs/notifications.md): a webhook or <c>mailto:</c> URL
/// (a template), the event names it listens for, and either one job or a filter over every job
/// its owner may see. Non-persistent subscriptions fire once and then retire.
/// </summary>
public sealed record Subscription
{
    public required string Id { get; init; }

    /// <summary>The user id that created it; only their jobs (every job, for an administrator) are matched.</summary>
    public required string Owner { get; init; }

    public bool OwnerIsAdmin { get; init; }

    /// <summary>The one job it follows; null: every job of the owner the filter matches.</summary>
    public string? JobId { get; init; }

    /// <summary>An http(s) or <c>mailto:</c> URL, with template variables (<see cref="UrlTemplate"/>).</summary>
    public required string Url { get; init; }

    /// <summary><see cref="EventNames"/>.</summary>
    public required IReadOnlyList<string> Events { get; init; }

    public bool Persistent { get; init; } = true;

    public JobFilter Filter { get; init; } = new();

    /// <summary>An Elasticsearch query (JSON) the job must match as well; null: none.</summary>
    public string? Query { get; init; }

    public DeliveryStyle Style { get; init; } = DeliveryStyle.Event;

    /// <summary>The HMAC key of its webhook signature; given to its creator once.</summary>
    public required string Secret { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>False once a non-persistent subscription fired (it stays listed, with its deliveries).</summary>
    public bool Active { get; init; } = true;

    [JsonIgnore]
    public bool IsEmail => Url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the event concerns this subscription (owner, job, filter and names; not the DSL query).</summary>
    public bool Covers(OutboxEvent e) =>
        Active
        && (JobId is null ? OwnerIsAdmin || e.Job.UserId == Owner : JobId == e.JobId)
        && Filter.Matches(e.Job)
        && EventNames.Matches(Events, e);
}
