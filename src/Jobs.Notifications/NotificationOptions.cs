using Jobs.Core.Notifications;

namespace Jobs.Notifications;

/// <summary>
/// Settings of job events out (section <c>Jobs:Notifications</c>, e.g.
/// <c>Jobs__Notifications__AllowedHosts__0=hooks.internal</c>); docs/notifications.md lists them.
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Jobs:Notifications";

    /// <summary>Deliver subscriptions' events from this host (the dispatcher and the sender run here).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// This host is the notifier of a store that publishes its events to a queue (the AWS
    /// notifier function): <c>POST /notifier/events</c> takes SQS batches of job events and
    /// scheduled ticks from the Lambda Web Adapter. Never set it on a host the public can reach.
    /// </summary>
    public bool Notifier { get; set; }

    /// <summary>The SQLite file of subscriptions and deliveries; default <c>&lt;Jobs:Embedded:DataPath&gt;/notifications.db</c>.</summary>
    public string? StatePath { get; set; }

    /// <summary>Seconds between <c>: keep-alive</c> comments on an idle live stream.</summary>
    public double KeepAliveSeconds { get; set; } = 15;

    /// <summary>The <c>retry:</c> a live stream tells clients to wait before reconnecting, in milliseconds.</summary>
    public int RetryMilliseconds { get; set; } = 3000;

    /// <summary>Hosts (names or addresses) webhooks may reach although the SSRF guard would refuse them (loopback, private networks).</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Seconds a webhook may take, connection included.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Bytes of a receiver's answer read (for the delivery log); the rest is dropped.</summary>
    public int MaxResponseBytes { get; set; } = 4096;

    /// <summary>Tries per delivery (the first included).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Seconds to wait after the first failed try; doubles per try, with jitter.</summary>
    public double RetryInitialSeconds { get; set; } = 30;

    /// <summary>The longest wait between tries, in seconds.</summary>
    public double RetryMaxSeconds { get; set; } = 1800;

    /// <summary>Deliveries sent at once.</summary>
    public int MaxParallel { get; set; } = 16;

    public SmtpOptions Smtp { get; set; } = new();

    public RetryPolicy Retry => new()
    {
        MaxAttempts = MaxAttempts,
        Initial = TimeSpan.FromSeconds(RetryInitialSeconds),
        Max = TimeSpan.FromSeconds(RetryMaxSeconds),
    };
}

/// <summary>The SMTP server of <c>mailto:</c> subscriptions (<c>Jobs:Notifications:Smtp</c>).</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public string From { get; set; } = "jobs@localhost";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>STARTTLS (required when true; none when false).</summary>
    public bool UseTls { get; set; } = true;
}

/// <summary>Stalled-job detection (section <c>Jobs:Stalled</c>).</summary>
public sealed class StalledOptions
{
    public const string SectionName = "Jobs:Stalled";

    /// <summary>A running job with no update for this long is marked stalled (<c>01:00:00</c>); zero turns detection off.</summary>
    public TimeSpan After { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When set, a stalled job with no update for this long (counted from its last update) is failed with <c>error.type: stalled</c>.</summary>
    public TimeSpan? FailAfter { get; set; }

    /// <summary>How often to look for stalled jobs.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromMinutes(1);
}
