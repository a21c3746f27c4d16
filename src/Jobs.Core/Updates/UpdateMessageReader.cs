using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Validation;

namespace Jobs.Core.Updates;

/// <summary>
/// Reads an update message (version 1) from JSON: wrong types and unknown fields are reported by
/// field name, then <see cref="UpdateMessageValidator"/> checks the values.
/// </summary>
public static class UpdateMessageReader
{
    private static readonly UpdateMessageValidator Validator = new();

    private static readonly string[] Known =
        ["version", "id", "job-id", "token", "time", "status", "stage", "progress", "message", "outputs", "labels", "error"];

    public static ReadResult<UpdateMessage> Read(ReadOnlyMemory<byte> utf8)
    {
        var errors = new FieldErrors();
        if (utf8.Length > UpdateMessage.MaxBytes)
        {
            errors.Add("", $"is {utf8.Length} bytes; an update message may be at most {UpdateMessage.MaxBytes} bytes (256 KiB)");
            return new ReadResult<UpdateMessage>(null, errors);
        }

        using var document = JsonRead.Parse(utf8, errors);
        return document is null ? new ReadResult<UpdateMessage>(null, errors) : Read(document.RootElement);
    }

    /// <summary>Reads a parsed message; strict JSON (<see cref="StrictJson"/>) is checked first, whoever parsed it.</summary>
    public static ReadResult<UpdateMessage> Read(JsonElement root)
    {
        var errors = new FieldErrors();
        StrictJson.Check(root, errors);
        return errors.Any ? new ReadResult<UpdateMessage>(null, errors) : ReadChecked(root);
    }

    private static ReadResult<UpdateMessage> ReadChecked(JsonElement root)
    {
        var errors = new FieldErrors();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", $"must be a JSON object, not {JsonRead.Describe(root.ValueKind)}");
            return new ReadResult<UpdateMessage>(null, errors);
        }

        JsonRead.RefuseUnknown(root, "", errors, Known);
        var version = JsonRead.Integer(root, "version", "version", errors, required: true);
        var id = JsonRead.String(root, "id", "id", errors, required: true);
        var jobId = JsonRead.String(root, "job-id", "job-id", errors, required: true);
        var token = JsonRead.String(root, "token", "token", errors, required: true);
        var timeText = JsonRead.String(root, "time", "time", errors, required: true);
        DateTimeOffset time = default;
        if (timeText is not null && !UtcTimestampJsonConverter.TryParse(timeText, out time))
        {
            errors.Add("time", $"must be an RFC 3339 timestamp with an offset, such as 2026-11-22T10:00:00Z (got '{timeText}')");
        }

        var statusText = JsonRead.String(root, "status", "status", errors);
        JobStatus? status = null;
        if (statusText is not null)
        {
            if (JobStatuses.TryParse(statusText, out var s))
            {
                status = s;
            }
            else
            {
                errors.Add("status", $"must be one of {string.Join(", ", JobStatuses.IndexValues)} (got '{statusText}')");
            }
        }

        var message = new UpdateMessage
        {
            Version = version ?? 0,
            Id = id ?? "",
            JobId = jobId ?? "",
            Token = token,
            Time = time,
            Status = status,
            Stage = JsonRead.String(root, "stage", "stage", errors),
            Progress = JsonRead.Integer(root, "progress", "progress", errors),
            Message = JsonRead.String(root, "message", "message", errors),
            Outputs = ReadOutputs(root, errors),
            Labels = ReadLabels(root, errors),
            Error = ReadError(root, errors),
        };

        if (errors.Any)
        {
            return new ReadResult<UpdateMessage>(null, errors);
        }

        errors.Add(Validator.Validate(message));
        return new ReadResult<UpdateMessage>(errors.Any ? null : message, errors);
    }

    internal static IReadOnlyDictionary<string, JsonElement>? ReadOutputs(JsonElement root, FieldErrors errors)
    {
        if (JsonRead.Object(root, "outputs", "outputs", errors) is not { } outputs)
        {
            return null;
        }

        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in outputs.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                errors.Add($"outputs.{property.Name}", "must not be null");
                continue;
            }

            map[property.Name] = property.Value.Clone();
        }

        return map;
    }

    private static LabelChanges? ReadLabels(JsonElement root, FieldErrors errors)
    {
        if (!JsonRead.TryGet(root, "labels", out var labels))
        {
            return null;
        }

        if (labels.ValueKind != JsonValueKind.Object)
        {
            errors.Add("labels", $"must be an object {{\"add\": [...], \"remove\": [...]}}, not {JsonRead.Describe(labels.ValueKind)}");
            return null;
        }

        JsonRead.RefuseUnknown(labels, "labels", errors, "add", "remove");
        return new LabelChanges(
            JsonRead.StringArray(labels, "add", "labels.add", errors),
            JsonRead.StringArray(labels, "remove", "labels.remove", errors));
    }

    private static JobError? ReadError(JsonElement root, FieldErrors errors)
    {
        if (JsonRead.Object(root, "error", "error", errors) is not { } error)
        {
            return null;
        }

        JsonRead.RefuseUnknown(error, "error", errors, "type", "message");
        var type = JsonRead.String(error, "type", "error.type", errors, required: true);
        var text = JsonRead.String(error, "message", "error.message", errors) ?? "";
        return type is null ? null : new JobError(type, text);
    }
}
