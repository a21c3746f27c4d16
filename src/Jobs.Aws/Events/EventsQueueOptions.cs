namespace Jobs.Aws.Events;

/// <summary>
/// The job events queue (section <c>Jobs:Events</c>, e.g. <c>Jobs__Events__QueueUrl</c>): where
/// the Elasticsearch store publishes the events of its changes (docs/notifications.md, "On AWS").
/// </summary>
public sealed class EventsQueueOptions
{
    public const string SectionName = "Jobs:Events";

    /// <summary>The SQS FIFO queue (<c>https://sqs.&lt;region&gt;.amazonaws.com/&lt;account&gt;/&lt;name&gt;.fifo</c>); unset: no publisher.</summary>
    public string? QueueUrl { get; set; }

    /// <summary>SQS endpoint override (LocalStack); else <c>AWS_ENDPOINT_URL_SQS</c> / <c>AWS_ENDPOINT_URL</c>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>AWS region of the queue; else the queue URL's.</summary>
    public string? Region { get; set; }
}
