using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Json;

namespace Jobs.Core.Updates;

/// <summary>Writes an update message in wire format version 1 (what <see cref="UpdateMessageReader"/> reads).</summary>
public static class UpdateMessageWriter
{
    public static byte[] ToUtf8(UpdateMessage message)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, message);
        }

        return buffer.ToArray();
    }

    public static string ToJson(UpdateMessage message) => System.Text.Encoding.UTF8.GetString(ToUtf8(message));

    public static void Write(Utf8JsonWriter w, UpdateMessage message)
    {
        w.WriteStartObject();
        w.WriteNumber("version", message.Version);
        w.WriteString("id", message.Id);
        w.WriteString("job-id", message.JobId);
        if (message.Token is not null)
        {
            w.WriteString("token", message.Token);
        }

        w.WriteString("time", UtcTimestampJsonConverter.ToText(message.Time));
        if (message.Status is { } status)
        {
            w.WriteString("status", status.ToIndexValue());
        }

        WriteIfSet(w, "stage", message.Stage);
        if (message.Progress is { } progress)
        {
            w.WriteNumber("progress", progress);
        }

        WriteIfSet(w, "message", message.Message);
        if (message.Outputs is { Count: > 0 } outputs)
        {
            w.WritePropertyName("outputs");
            w.WriteStartObject();
            foreach (var (key, value) in outputs)
            {
                w.WritePropertyName(key);
                value.WriteTo(w);
            }

            w.WriteEndObject();
        }

        if (message.Labels is { IsEmpty: false } labels)
        {
            w.WritePropertyName("labels");
            w.WriteStartObject();
            WriteList(w, "add", labels.Add);
            WriteList(w, "remove", labels.Remove);
            w.WriteEndObject();
        }

        if (message.Error is { } error)
        {
            w.WritePropertyName("error");
            w.WriteStartObject();
            w.WriteString("type", error.Type);
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string>? items)
    {
        if (items is not { Count: > 0 })
        {
            return;
        }

        w.WritePropertyName(name);
        w.WriteStartArray();
        foreach (var item in items)
        {
            w.WriteStringValue(item);
        }

        w.WriteEndArray();
    }
}
