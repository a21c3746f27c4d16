using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;

namespace Jobs.UpdatesFunction.Consumer;

/// <summary>
/// Turns a Unity SDS legacy message (docs/architecture.md, "The update message") into a trusted <see cref="JobUpdate"/>:
/// <c>{"id": &lt;job id&gt;, "status": …, "inputs": {…}, "outputs": {…}, "labels": […]}</c> with
/// no token, no update id and no time.
/// </summary>
/// <remarks>
/// Unity's <c>publish_job.py</c> passes its command-line strings through, so <c>inputs</c> and
/// <c>outputs</c> may arrive as JSON text (<c>"{}"</c>) or as WPS-T arrays of <c>{"id", …}</c>
/// objects, and it adds a <c>tags</c> string; all of these are accepted. A status that is empty
/// or not a job status (its workflows default to <c>"unknown"</c>) changes nothing but the rest
/// of the message still applies.
/// </remarks>
internal static class LegacyMessageTranslator
{
    public const string UnknownProcess = "unknown";

    /// <summary>True when <paramref name="root"/> has the legacy shape rather than the version-1 one.</summary>
    public static bool LooksLegacy(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("id", out _)
        && !root.TryGetProperty("version", out _)
        && !root.TryGetProperty("job-id", out _)
        && !root.TryGetProperty("token", out _);

    /// <param name="root">The legacy message.</param>
    /// <param name="updateId">The idempotency key: the SNS message id, else the SQS message id.</param>
    /// <param name="time">The event time: the SNS timestamp, else the SQS sent time.</param>
    /// <param name="error">Why the message can never apply, when it returns null.</param>
    public static JobUpdate? Translate(JsonElement root, string updateId, DateTimeOffset time, out string? error)
    {
        error = null;
        var jobId = root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        if (!JobIds.IsWellFormed(jobId))
        {
            error = "legacy message: 'id' must be the job id (a string of 1 to 128 characters, no '/')";
            return null;
        }

        var labels = ReadLabels(root, ref error);
        if (error is not null)
        {
            return null;
        }

        var status = ReadStatus(root);
        var outputs = ReadMap(root, "outputs");
        var message = new UpdateMessage
        {
            Id = updateId,
            JobId = jobId!,
            Token = null,
            Time = time,
            Status = status,
            Outputs = outputs.Count > 0 ? outputs : null,
            Labels = labels.Count > 0 ? new LabelChanges(labels, null) : null,
        };

        JobDocument? create = null;
        if (status == JobStatus.Submitted)
        {
            // The ADES announces a new job with a legacy "submitted": create it when it is unknown.
            create = JobMerger.Create(
                new JobDocument
                {
                    Id = jobId!,
                    ProcessId = ReadProcessId(root),
                    Inputs = ReadMap(root, "inputs"),
                    Created = time,
                },
                labels);
        }

        return new JobUpdate(message, EventSources.Legacy) { Trusted = true, CreateIfMissing = create };
    }

    private static JobStatus? ReadStatus(JsonElement root)
    {
        if (!root.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return JobStatuses.TryParse(s.GetString()?.Trim().ToLowerInvariant(), out var status) ? status : null;
    }

    private static List<string> ReadLabels(JsonElement root, ref string? error)
    {
        var labels = new List<string>();
        if (!root.TryGetProperty("labels", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return labels;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            error = "legacy message: 'labels' must be an array of strings";
            return labels;
        }

        foreach (var item in value.EnumerateArray())
        {
            var label = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (string.IsNullOrWhiteSpace(label) || label.Length > UpdateMessageValidator.MaxLabelLength)
            {
                error = $"legacy message: labels must be non-empty strings of at most {UpdateMessageValidator.MaxLabelLength} characters";
                return labels;
            }

            if (!labels.Contains(label, StringComparer.Ordinal))
            {
                labels.Add(label);
            }
        }

        return labels;
    }

    private static string ReadProcessId(JsonElement root)
    {
        foreach (var name in (string[])["process-id", "process_id", "processId", "processID"])
        {
            if (root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(p.GetString()))
            {
                return p.GetString()!;
            }
        }

        return UnknownProcess;
    }

    /// <summary>An id -> value map from an object, from JSON text holding one, or from a WPS-T array.</summary>
    private static Dictionary<string, JsonElement> ReadMap(JsonElement root, string name)
    {
        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (!root.TryGetProperty(name, out var value))
        {
            return map;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(value.GetString()!);
                return ReadMapFrom(inner.RootElement, map);
            }
            catch (JsonException)
            {
                return map; // publish_job.py's free text ("none"): nothing to record
            }
        }

        return ReadMapFrom(value, map);
    }

    private static Dictionary<string, JsonElement> ReadMapFrom(JsonElement value, Dictionary<string, JsonElement> map)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in value.EnumerateObject())
            {
                if (p.Name.Length > 0 && p.Value.ValueKind != JsonValueKind.Null)
                {
                    map[p.Name] = p.Value.Clone();
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            // WPS-T form: [{"id": "x", "data"|"value"|"href": …}]; entries without a value are requests, not results.
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object
                    && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString()!.Length > 0
                    && FirstValue(item) is { } v)
                {
                    map[id.GetString()!] = v.Clone();
                }
            }
        }

        return map;
    }

    private static JsonElement? FirstValue(JsonElement item)
    {
        foreach (var name in (string[])["data", "value", "href"])
        {
            if (item.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
            {
                return v;
            }
        }

        return null;
    }
}
