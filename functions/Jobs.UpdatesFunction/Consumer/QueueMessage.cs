namespace Jobs.UpdatesFunction.Consumer;

/// <summary>
/// One SQS message as the consumer core sees it, whatever host received it (Lambda's SQS event or
/// the poller's ReceiveMessage).
/// </summary>
/// <param name="MessageId">The SQS message id: what a partial batch response names.</param>
/// <param name="Body">The body: an update message, or an SNS envelope around one.</param>
/// <param name="SentTimestamp">When SQS received it (attribute <c>SentTimestamp</c>), if known.</param>
/// <param name="ReceiveCount">Attribute <c>ApproximateReceiveCount</c> (1 on first delivery).</param>
public sealed record QueueMessage(string MessageId, string Body, DateTimeOffset? SentTimestamp = null, int ReceiveCount = 1);
