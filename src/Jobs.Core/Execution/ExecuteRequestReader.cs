using System.Text.Json;
using Jobs.Core.Validation;

namespace Jobs.Core.Execution;

/// <summary>Reads an execute request body in either encoding, reporting problems by field.</summary>
public static class ExecuteRequestReader
{
    private static readonly ExecuteRequestValidator Validator = new();

    private static readonly string[] Known = ["inputs", "outputs", "response", "mode", "subscriber", "labels", "process", "notifications"];

    public static ReadResult<ExecuteRequest> Read(JsonElement root)
    {
        var errors = new FieldErrors();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", $"must be an execute request (a JSON object), not {JsonRead.Describe(root.ValueKind)}");
            return new ReadResult<ExecuteRequest>(null, errors);
        }

        StrictJson.Check(root, errors);
        if (errors.Any)
        {
            return new ReadResult<ExecuteRequest>(null, errors);
        }

        JsonRead.RefuseUnknown(root, "", errors, Known);
        var request = new ExecuteRequest
        {
            Inputs = ReadInputs(root, errors),
            Outputs = ReadOutputs(root, errors),
            Response = JsonRead.String(root, "response", "response", errors) ?? "raw",
            Mode = JsonRead.String(root, "mode", "mode", errors),
            Subscriber = ReadSubscriber(root, errors),
            Labels = ReadLabels(root, errors),
            Notifications = ReadNotifications(root, errors),
        };

        if (!errors.Any)
        {
            errors.Add(Validator.Validate(request));
        }

        return new ReadResult<ExecuteRequest>(errors.Any ? null : request, errors);
    }

    private static Dictionary<string, JsonElement> ReadInputs(JsonElement root, FieldErrors errors)
    {
        var inputs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (!JsonRead.TryGet(root, "inputs", out var value))
        {
            return inputs;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var input in value.EnumerateObject())
                {
                    inputs[input.Name] = input.Value.Clone();
                }

                break;
            case JsonValueKind.Array:
                // Seed / WPS-T draft: [{"id": "x", "data": ...}, ...]; an id given twice collects its values.
                var collected = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var path = $"inputs[{index++}]";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(path, $"must be an object {{\"id\": ..., \"data\": ...}}, not {JsonRead.Describe(item.ValueKind)}");
                        continue;
                    }

                    var id = JsonRead.String(item, "id", $"{path}.id", errors, required: true);
                    var data = SeedInputValue(item, path, errors);
                    if (id is null || data is null)
                    {
                        continue;
                    }

                    if (!collected.TryGetValue(id, out var list))
                    {
                        collected[id] = list = [];
                    }

                    list.Add(data.Value);
                }

                foreach (var (id, list) in collected)
                {
                    inputs[id] = list.Count == 1 ? list[0] : JsonSerializer.SerializeToElement(list);
                }

                break;
            default:
                errors.Add("inputs", $"must be an object (input id -> value) or an array of {{\"id\", \"data\"}}, not {JsonRead.Describe(value.ValueKind)}");
                break;
        }

        return inputs;
    }

    private static JsonElement? SeedInputValue(JsonElement item, string path, FieldErrors errors)
    {
        foreach (var name in (string[])["data", "value", "input"])
        {
            if (item.TryGetProperty(name, out var v))
            {
                return v.Clone();
            }
        }

        if (item.TryGetProperty("href", out var href))
        {
            // A by-reference input: keep it as an OGC link object.
            var link = new Dictionary<string, JsonElement> { ["href"] = href.Clone() };
            if (item.TryGetProperty("type", out var type))
            {
                link["type"] = type.Clone();
            }

            return JsonSerializer.SerializeToElement(link);
        }

        errors.Add(path, "needs a value: \"data\" (or \"value\", or \"href\" for a reference)");
        return null;
    }

    private static Dictionary<string, OutputRequest> ReadOutputs(JsonElement root, FieldErrors errors)
    {
        var outputs = new Dictionary<string, OutputRequest>(StringComparer.Ordinal);
        if (!JsonRead.TryGet(root, "outputs", out var value))
        {
            return outputs;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var output in value.EnumerateObject())
                {
                    var path = $"outputs.{output.Name}";
                    if (output.Value.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(path, $"must be an object such as {{\"transmissionMode\": \"reference\"}}, not {JsonRead.Describe(output.Value.ValueKind)}");
                        continue;
                    }

                    outputs[output.Name] = ReadOutput(output.Value, path, errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var path = $"outputs[{index++}]";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(path, $"must be an object {{\"id\": ..., \"transmissionMode\": ...}}, not {JsonRead.Describe(item.ValueKind)}");
                        continue;
                    }

                    if (JsonRead.String(item, "id", $"{path}.id", errors, required: true) is { } id)
                    {
                        outputs[id] = ReadOutput(item, path, errors);
                    }
                }

                break;
            default:
                errors.Add("outputs", $"must be an object (output id -> options) or an array of {{\"id\", \"transmissionMode\"}}, not {JsonRead.Describe(value.ValueKind)}");
                break;
        }

        return outputs;
    }

    private static OutputRequest ReadOutput(JsonElement output, string path, FieldErrors errors)
    {
        var mode = JsonRead.String(output, "transmissionMode", $"{path}.transmissionMode", errors);
        if (mode is not null and not ("value" or "reference"))
        {
            errors.Add($"{path}.transmissionMode", $"must be value or reference (got '{mode}')");
        }

        var format = JsonRead.Object(output, "format", $"{path}.format", errors);
        return new OutputRequest(mode, format?.Clone());
    }

    private static Subscriber? ReadSubscriber(JsonElement root, FieldErrors errors)
    {
        if (JsonRead.Object(root, "subscriber", "subscriber", errors) is not { } s)
        {
            return null;
        }

        JsonRead.RefuseUnknown(s, "subscriber", errors, "successUri", "inProgressUri", "failedUri");
        return new Subscriber(
            JsonRead.String(s, "successUri", "subscriber.successUri", errors),
            JsonRead.String(s, "inProgressUri", "subscriber.inProgressUri", errors),
            JsonRead.String(s, "failedUri", "subscriber.failedUri", errors));
    }

    private static List<NotificationRequest> ReadNotifications(JsonElement root, FieldErrors errors)
    {
        var list = new List<NotificationRequest>();
        if (!JsonRead.TryGet(root, "notifications", out var value))
        {
            return list;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add("notifications", $"must be an array of {{\"url\", \"event\", \"persistent\"}}, not {JsonRead.Describe(value.ValueKind)}");
            return list;
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"notifications[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"must be an object with url, event and persistent, not {JsonRead.Describe(item.ValueKind)}");
                continue;
            }

            JsonRead.RefuseUnknown(item, path, errors, "url", "event", "persistent");
            var url = JsonRead.String(item, "url", $"{path}.url", errors, required: true);
            if (url is not null && Notifications.NotificationTarget.Problem(url) is { } problem)
            {
                errors.Add($"{path}.url", problem);
            }

            var name = JsonRead.String(item, "event", $"{path}.event", errors) ?? Notifications.EventNames.Any;
            if (!Notifications.EventNames.IsKnown(name))
            {
                errors.Add($"{path}.event", Notifications.EventNames.Expected);
            }

            var persistent = false;
            if (JsonRead.TryGet(item, "persistent", out var p))
            {
                if (p.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    persistent = p.GetBoolean();
                }
                else
                {
                    errors.Add($"{path}.persistent", $"must be true or false, not {JsonRead.Describe(p.ValueKind)}");
                }
            }

            if (url is not null)
            {
                list.Add(new NotificationRequest(url, name, persistent));
            }
        }

        return list;
    }

    private static List<string> ReadLabels(JsonElement root, FieldErrors errors)
    {
        if (!JsonRead.TryGet(root, "labels", out var labels))
        {
            return [];
        }

        return JsonRead.StringArray(labels, "labels", errors) ?? [];
    }
}
