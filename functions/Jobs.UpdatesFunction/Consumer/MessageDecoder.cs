using System.Text;
using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Updates;

namespace Jobs.UpdatesFunction.Consumer;

/// <summary>A message turned into an update, or the reason it never can be.</summary>
internal sealed record DecodedMessage(JobUpdate? Update, string? Error, string? JobId)
{
    public static DecodedMessage Failed(string error, string? jobId = null) => new(null, error, jobId);
}

/// <summary>
/// Reads an SQS body: unwraps an SNS envelope when there is one, then reads a version-1 update
/// message, or a Unity legacy message when those are accepted.
/// </summary>
internal static class MessageDecoder
{
    public static DecodedMessage Decode(QueueMessage queued, bool acceptLegacy, DateTimeOffset now)
    {
        JsonDocument body;
        try
        {
            body = JsonDocument.Parse(queued.Body);
        }
        catch (JsonException e)
        {
            return DecodedMessage.Failed($"the body is not JSON: {e.Message}");
        }

        using (body)
        {
            if (!SnsEnvelope.TryRead(body.RootElement, out var envelope, out var envelopeError))
            {
                return DecodeUpdate(queued.Body, body.RootElement, queued, null, acceptLegacy, now);
            }

            if (envelopeError is not null)
            {
                return DecodedMessage.Failed(envelopeError);
            }

            JsonDocument inner;
            try
            {
                inner = JsonDocument.Parse(envelope!.Message);
            }
            catch (JsonException e)
            {
                return DecodedMessage.Failed($"the SNS message is not JSON: {e.Message}");
            }

            using (inner)
            {
                return DecodeUpdate(envelope.Message, inner.RootElement, queued, envelope, acceptLegacy, now);
            }
        }
    }

    private static DecodedMessage DecodeUpdate(
        string text, JsonElement root, QueueMessage queued, SnsEnvelope? envelope, bool acceptLegacy, DateTimeOffset now)
    {
        var jobId = JobIdOf(root);
        var size = Encoding.UTF8.GetByteCount(text);
        if (size > UpdateMessage.MaxBytes)
        {
            return DecodedMessage.Failed(
                $"the update message is {size} bytes; at most {UpdateMessage.MaxBytes} (256 KiB) are accepted", jobId);
        }

        if (LegacyMessageTranslator.LooksLegacy(root))
        {
            if (!acceptLegacy)
            {
                return DecodedMessage.Failed(
                    "a Unity legacy message (no version, job-id or token) is accepted only with Jobs__Updates__AcceptLegacy=true", jobId);
            }

            // No update id or time of its own: the transport's message id and time stand in.
            var updateId = envelope?.MessageId ?? queued.MessageId;
            var time = envelope?.Timestamp ?? queued.SentTimestamp ?? now;
            var legacy = LegacyMessageTranslator.Translate(root, updateId, time, out var error);
            return legacy is null ? DecodedMessage.Failed(error!, jobId) : new DecodedMessage(legacy, null, jobId);
        }

        var read = UpdateMessageReader.Read(root);
        return read.IsValid
            ? new DecodedMessage(new JobUpdate(read.Value!, EventSources.Queue), null, read.Value!.JobId)
            : DecodedMessage.Failed($"invalid update message: {read.Errors}", jobId);
    }

    private static string? JobIdOf(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var name = LegacyMessageTranslator.LooksLegacy(root) ? "id" : "job-id";
        return root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
