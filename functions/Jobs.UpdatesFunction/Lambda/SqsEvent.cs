using System.Globalization;
using System.Text.Json;
using Jobs.UpdatesFunction.Consumer;

namespace Jobs.UpdatesFunction.Lambda;

/// <summary>
/// Reads the SQS event that Lambda hands to the function (the Web Adapter POSTs it verbatim):
/// <c>{"Records":[{"messageId", "body", "attributes": {"SentTimestamp", "ApproximateReceiveCount"}, "eventSourceARN", …}]}</c>.
/// </summary>
internal static class SqsEvent
{
    /// <summary>The records as queue messages and the queue's ARN; throws <see cref="JsonException"/> when it is no SQS event.</summary>
    public static (List<QueueMessage> Messages, string? SourceArn) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Records", out var records) || records.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("not an SQS event: no Records array");
        }

        var messages = new List<QueueMessage>();
        string? arn = null;
        foreach (var record in records.EnumerateArray())
        {
            var id = Text(record, "messageId");
            var body = Text(record, "body");
            if (string.IsNullOrEmpty(id) || body is null)
            {
                throw new JsonException("an SQS record without messageId or body");
            }

            DateTimeOffset? sent = null;
            var receiveCount = 1;
            if (record.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object)
            {
                if (long.TryParse(Text(attributes, "SentTimestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
                {
                    sent = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                }

                if (int.TryParse(Text(attributes, "ApproximateReceiveCount"), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    receiveCount = count;
                }
            }

            arn ??= Text(record, "eventSourceARN");
            messages.Add(new QueueMessage(id, body, sent, receiveCount));
        }

        return (messages, arn);
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
