using System.Globalization;
using System.Text.Json;

namespace Jobs.UpdatesFunction.Consumer;

/// <summary>
/// The JSON that SNS puts in the SQS body when the subscription does not use raw message delivery:
/// <c>{"Type":"Notification","MessageId":…,"TopicArn":…,"Message":"&lt;the published text&gt;","Timestamp":…}</c>.
/// </summary>
internal sealed record SnsEnvelope(string MessageId, string Message, DateTimeOffset? Timestamp)
{
    /// <summary>
    /// Recognises an envelope by its <c>Type</c> and <c>TopicArn</c> members (neither update format
    /// has them). Returns false for anything else; <paramref name="error"/> is set when it is an
    /// envelope that carries no notification.
    /// </summary>
    public static bool TryRead(JsonElement root, out SnsEnvelope? envelope, out string? error)
    {
        envelope = null;
        error = null;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("Type", out var type) || type.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("TopicArn", out _))
        {
            return false;
        }

        if (type.GetString() != "Notification")
        {
            error = $"an SNS '{type.GetString()}' envelope carries no update message";
            return true;
        }

        if (!root.TryGetProperty("Message", out var message) || message.ValueKind != JsonValueKind.String)
        {
            error = "the SNS envelope has no Message text";
            return true;
        }

        var id = root.TryGetProperty("MessageId", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (string.IsNullOrEmpty(id))
        {
            error = "the SNS envelope has no MessageId";
            return true;
        }

        DateTimeOffset? timestamp = null;
        if (root.TryGetProperty("Timestamp", out var t) && t.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            timestamp = parsed;
        }

        envelope = new SnsEnvelope(id, message.GetString()!, timestamp);
        return true;
    }
}
