using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using Jobs.UpdatesFunction.Consumer;
using Microsoft.Extensions.Options;

namespace Jobs.UpdatesFunction.Polling;

/// <summary><see cref="IQueueClient"/> over AWSSDK.SQS.</summary>
public sealed partial class SqsQueueClient(IAmazonSQS sqs, IOptions<UpdatesOptions> options, ILogger<SqsQueueClient> logger) : IQueueClient
{
    private const int MaxPerBatchCall = 10;

    public string QueueUrl { get; } = options.Value.QueueUrl ?? throw new InvalidOperationException("Jobs:Updates:QueueUrl is not set.");

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, int waitSeconds, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = QueueUrl,
            MaxNumberOfMessages = maxMessages,
            WaitTimeSeconds = waitSeconds,
            VisibilityTimeout = Seconds(visibility),
            MessageSystemAttributeNames = ["SentTimestamp", "ApproximateReceiveCount"],
        }, cancellationToken);

        return (response.Messages ?? []).Select(m => new ReceivedMessage(
            new QueueMessage(m.MessageId, m.Body, SentTimestamp(m), ReceiveCount(m)), m.ReceiptHandle)).ToList();
    }

    public async Task DeleteAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var chunk in messages.Chunk(MaxPerBatchCall))
        {
            var response = await sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
            {
                QueueUrl = QueueUrl,
                Entries = chunk.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle)).ToList(),
            }, cancellationToken);
            foreach (var failed in response.Failed ?? [])
            {
                // Stored already: the message comes back once more and is then a duplicate.
                LogEntryFailed(logger, "delete", chunk[int.Parse(failed.Id, CultureInfo.InvariantCulture)].Message.MessageId, failed.Code, failed.Message);
            }
        }
    }

    public async Task ChangeVisibilityAsync(IReadOnlyList<ReceivedMessage> messages, TimeSpan visibility, CancellationToken cancellationToken)
    {
        foreach (var chunk in messages.Chunk(MaxPerBatchCall))
        {
            var response = await sqs.ChangeMessageVisibilityBatchAsync(new ChangeMessageVisibilityBatchRequest
            {
                QueueUrl = QueueUrl,
                Entries = chunk.Select((m, i) => new ChangeMessageVisibilityBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle)
                {
                    VisibilityTimeout = Seconds(visibility),
                }).ToList(),
            }, cancellationToken);
            foreach (var failed in response.Failed ?? [])
            {
                LogEntryFailed(logger, "change visibility of", chunk[int.Parse(failed.Id, CultureInfo.InvariantCulture)].Message.MessageId, failed.Code, failed.Message);
            }
        }
    }

    /// <summary>SQS takes whole seconds, 0 to 12 hours.</summary>
    private static int Seconds(TimeSpan t) => (int)Math.Clamp(Math.Ceiling(t.TotalSeconds), 0, 43_200);

    private static DateTimeOffset? SentTimestamp(Message m) =>
        m.Attributes is { } a && a.TryGetValue("SentTimestamp", out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    private static int ReceiveCount(Message m) =>
        m.Attributes is { } a && a.TryGetValue("ApproximateReceiveCount", out var v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : 1;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {Operation} message {MessageId}: {Code} {Problem}")]
    private static partial void LogEntryFailed(ILogger logger, string operation, string messageId, string code, string problem);
}
