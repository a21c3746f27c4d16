namespace Jobs.UpdatesFunction;

/// <summary>
/// Settings of the update consumer, section <c>Jobs:Updates</c> (environment:
/// <c>Jobs__Updates__AcceptLegacy=true</c>, <c>Jobs__Updates__QueueUrl=…</c>). Every setting is
/// described in docs/updates.md.
/// </summary>
public sealed class UpdatesOptions
{
    public const string Section = "Jobs:Updates";

    /// <summary>
    /// Accept the Unity SDS legacy message (no token, no update id, no time; docs/architecture.md, "The update message").
    /// Only for operators who trust whoever IAM lets publish to the topic.
    /// </summary>
    public bool AcceptLegacy { get; set; }

    /// <summary>When set, the long-running poller reads this queue. Unset: only <c>POST /events</c> (Lambda).</summary>
    public string? QueueUrl { get; set; }

    /// <summary>
    /// Whether the queue is FIFO. Unset: detected from the queue URL (poller) or the event source
    /// ARN (Lambda) ending in <c>.fifo</c>.
    /// </summary>
    public bool? Fifo { get; set; }

    /// <summary>Poller: how many batches are processed at the same time.</summary>
    public int MaxConcurrentBatches { get; set; } = 2;

    /// <summary>Poller: messages asked for per receive (SQS allows 1 to 10).</summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>Poller: long-polling wait per receive, 0 to 20 seconds.</summary>
    public int WaitTimeSeconds { get; set; } = 20;

    /// <summary>
    /// Poller: how long received messages stay invisible to other consumers. A batch still being
    /// stored when half of it has passed gets it extended.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An update for a job that does not exist is retried while the update is younger than this
    /// (the job's creation may still be on its way); older, it is a permanent failure.
    /// </summary>
    public TimeSpan CreationWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Poller: the longest delay before a message that failed for a passing reason is offered again.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>SQS endpoint override (LocalStack: <c>http://localhost:4566</c>); else <c>AWS_ENDPOINT_URL</c>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>AWS region of the queue; else taken from the queue URL or the SDK's usual sources.</summary>
    public string? Region { get; set; }

    /// <summary>FIFO detection: the explicit setting, else the name of the queue or its ARN.</summary>
    public bool IsFifo(string? queueUrlOrArn) =>
        Fifo ?? (queueUrlOrArn?.TrimEnd('/').EndsWith(".fifo", StringComparison.Ordinal) ?? false);
}
