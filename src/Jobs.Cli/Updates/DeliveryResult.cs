namespace Jobs.Cli.Updates;

/// <summary>How one attempt to deliver an update ended.</summary>
public enum DeliveryStatus
{
    /// <summary>Stored by the API, or accepted by SNS/SQS.</summary>
    Delivered,

    /// <summary>Refused for good: sending it again cannot succeed.</summary>
    Rejected,

    /// <summary>Failed for a passing reason: try again.</summary>
    Transient,

    /// <summary>Stored, but the API says the job is dismissed: the worker should stop.</summary>
    JobDismissed,
}

/// <param name="Detail">What happened, for the one line the tool prints.</param>
/// <param name="Hint">For a failure: what the person running the workflow should do next.</param>
/// <param name="RetryAfter">A delay the server asked for, if any.</param>
public sealed record DeliveryResult(DeliveryStatus Status, string Detail, string? Hint = null, TimeSpan? RetryAfter = null)
{
    public static DeliveryResult Delivered(string detail) => new(DeliveryStatus.Delivered, detail);

    public static DeliveryResult Dismissed(string detail) => new(DeliveryStatus.JobDismissed, detail);

    public static DeliveryResult Rejected(string detail, string hint) => new(DeliveryStatus.Rejected, detail, hint);

    public static DeliveryResult Transient(string detail, TimeSpan? retryAfter = null) => new(DeliveryStatus.Transient, detail, RetryAfter: retryAfter);
}

/// <summary>Where <c>jobs update</c> sends the message: the API, an SQS queue or an SNS topic.</summary>
public interface IUpdateDestination
{
    /// <summary>For messages: "the API at …", "SQS queue …", "SNS topic …".</summary>
    string Name { get; }

    /// <summary>One attempt. Classifies failures rather than throwing, except on cancellation.</summary>
    Task<DeliveryResult> SendAsync(Core.Updates.UpdateMessage message, byte[] body, CancellationToken cancellationToken);
}
