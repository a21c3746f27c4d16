namespace Jobs.Notifications;

/// <summary>
/// Settings of job events out (section <c>Jobs:Notifications</c>, e.g.
/// <c>Jobs__Notifications__AllowedHosts__0=hooks.internal</c>); docs/notifications.md lists them.
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Jobs:Notifications";

    /// <summary>Seconds between <c>: keep-alive</c> comments on an idle live stream.</summary>
    public double KeepAliveSeconds { get; set; } = 15;

    /// <summary>The <c>retry:</c> a live stream tells clients to wait before reconnecting, in milliseconds.</summary>
    public int RetryMilliseconds { get; set; } = 3000;
}
