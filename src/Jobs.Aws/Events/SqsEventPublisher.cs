using System.Globalization;
using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;
using Jobs.Core.Notifications;

namespace Jobs.Aws.Events;

/// <summary>
/// Publishes job events to an SQS FIFO queue (<see cref="IEventPublisher"/>): one message per
/// event (<see cref="OutboxEventJson"/>), <c>MessageGroupId</c> = the job id, so a job's events
/// are received in order, and <c>MessageDeduplicationId</c> = the event id, so SQS drops a
/// second publish of the same event within its five-minute window (a sweep racing the writer).
/// Sent with <c>SendMessageBatch</c>, at most 10 entries and 256 KiB a request, one request
/// after the other so the order holds.
/// </summary>
public sealed class SqsEventPublisher(IAmazonSQS sqs, string queueUrl) : IEventPublisher
{
    private const int MaxEntries = 10;
    private const int MaxBatchBytes = 256 * 1024 - 4096;

    public async Task PublishAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        foreach (var batch in Batches(events))
        {
            var response = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = queueUrl, Entries = batch }, cancellationToken).ConfigureAwait(false);
            if (response.Failed is { Count: > 0 } failed)
            {
                // Stop here: a later event of the same job must not overtake the one refused.
                var first = failed[0];
                throw new AmazonSQSException(
                    $"SQS refused {failed.Count} of {batch.Count} job events ({first.Code}: {first.Message}); they stay in their jobs' outboxes");
            }
        }
    }

    private static IEnumerable<List<SendMessageBatchRequestEntry>> Batches(IReadOnlyList<OutboxEvent> events)
    {
        var batch = new List<SendMessageBatchRequestEntry>();
        var bytes = 0;
        foreach (var e in events)
        {
            var body = OutboxEventJson.ToJson(e);
            var size = Encoding.UTF8.GetByteCount(body);
            if (batch.Count == MaxEntries || (batch.Count > 0 && bytes + size > MaxBatchBytes))
            {
                yield return batch;
                (batch, bytes) = ([], 0);
            }

            batch.Add(new SendMessageBatchRequestEntry
            {
                Id = batch.Count.ToString(CultureInfo.InvariantCulture),
                MessageBody = body,
                MessageGroupId = SqsId(e.JobId),
                MessageDeduplicationId = SqsId(e.Id),
            });
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>
    /// A group or deduplication id: the text itself when SQS takes it (1 to 128 characters, ASCII
    /// letters, digits and punctuation), else its SHA-256 in hex (the same text, the same id).
    /// </summary>
    internal static string SqsId(string text) =>
        text.Length is > 0 and <= 128 && text.All(c => c is > ' ' and <= '~')
            ? text
            : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
