using System.Text.Json;

namespace Jobs.Notifications.Queue;

/// <summary>
/// What the Lambda Web Adapter POSTs for a non-HTTP invocation, told apart: an SQS event
/// (<c>{"Records":[{"messageId","body",…}]}</c>) or a scheduled event (EventBridge:
/// <c>"detail-type": "Scheduled Event"</c>, <c>"source": "aws.events"</c> or <c>"aws.scheduler"</c>).
/// </summary>
public static class LambdaEvent
{
    /// <summary>The SQS records, or null when the event is no SQS event.</summary>
    public static IReadOnlyList<QueueRecord>? SqsRecords(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Records", out var records) || records.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<QueueRecord>();
        foreach (var record in records.EnumerateArray())
        {
            if (Text(record, "messageId") is not { Length: > 0 } id || Text(record, "body") is not { } body)
            {
                return null;
            }

            list.Add(new QueueRecord(id, body));
        }

        return list;
    }

    public static bool IsScheduled(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && (Text(root, "detail-type") == "Scheduled Event" || Text(root, "source") is "aws.events" or "aws.scheduler");

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
