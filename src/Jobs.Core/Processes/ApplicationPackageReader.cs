using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobs.Core.Validation;

namespace Jobs.Core.Processes;

/// <summary>
/// Reads the body of <c>POST /processes</c>: an OGC Application Package (Part 2 JSON form),
/// <c>{"processDescription": {...}, "executionUnit": {...}}</c>. The older draft form with the
/// description nested under <c>processDescription.process</c> is accepted too.
/// </summary>
public static partial class ApplicationPackageReader
{
    /// <summary>What a description without <c>jobControlOptions</c> allows.</summary>
    public static readonly IReadOnlyList<string> DefaultJobControlOptions = ["async-execute", "dismiss"];

    private static readonly string[] KnownControlOptions = ["sync-execute", "async-execute", "dismiss"];

    /// <summary>Process ids: letters, digits, '.', '_' and '-' (':' separates the version in paths).</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    public static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")]
    public static partial Regex VersionPattern();

    public static ReadResult<ProcessDefinition> Read(JsonElement root, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", $"must be an OGC Application Package (a JSON object), not {JsonRead.Describe(root.ValueKind)}");
            return new ReadResult<ProcessDefinition>(null, errors);
        }

        StrictJson.Check(root, errors);
        if (errors.Any)
        {
            return new ReadResult<ProcessDefinition>(null, errors);
        }

        var description = JsonRead.Object(root, "processDescription", "processDescription", errors, required: true);
        if (description is { } d && d.TryGetProperty("process", out var nested) && nested.ValueKind == JsonValueKind.Object)
        {
            description = nested;
        }

        if (!JsonRead.TryGet(root, "executionUnit", out var unit))
        {
            errors.Add("executionUnit", "is required (for example {\"type\": \"application/cwl\", \"href\": \"https://…/workflow.cwl\"})");
        }
        else if (unit.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            errors.Add("executionUnit", $"must be an object or an array of objects, not {JsonRead.Describe(unit.ValueKind)}");
        }

        if (description is not { } desc)
        {
            return new ReadResult<ProcessDefinition>(null, errors);
        }

        const string p = "processDescription";
        var id = JsonRead.String(desc, "id", $"{p}.id", errors, required: true);
        if (id is not null && !IdPattern().IsMatch(id))
        {
            errors.Add($"{p}.id", "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        var version = JsonRead.String(desc, "version", $"{p}.version", errors, required: true);
        if (version is not null && !VersionPattern().IsMatch(version))
        {
            errors.Add($"{p}.version", "must be 1 to 64 letters, digits, '.', '_', '+' or '-'");
        }

        JsonRead.String(desc, "title", $"{p}.title", errors);
        JsonRead.String(desc, "description", $"{p}.description", errors);
        if (JsonRead.StringArray(desc, "jobControlOptions", $"{p}.jobControlOptions", errors) is { } options)
        {
            foreach (var option in options.Where(o => Array.IndexOf(KnownControlOptions, o) < 0))
            {
                errors.Add($"{p}.jobControlOptions", $"'{option}' is not one of {string.Join(", ", KnownControlOptions)}");
            }

            if (!options.Contains("async-execute"))
            {
                errors.Add($"{p}.jobControlOptions", "must include async-execute: Jobs records asynchronous jobs that workers run");
            }
        }

        CheckDescriptions(desc, "inputs", errors, isInput: true);
        CheckDescriptions(desc, "outputs", errors, isInput: false);

        if (errors.Any)
        {
            return new ReadResult<ProcessDefinition>(null, errors);
        }

        var normalized = JsonNode.Parse(desc.GetRawText())!.AsObject();
        normalized["jobControlOptions"] ??= new JsonArray([.. DefaultJobControlOptions.Select(o => JsonValue.Create(o))]);
        normalized["inputs"] ??= new JsonObject();
        normalized["outputs"] ??= new JsonObject();
        var definition = new ProcessDefinition
        {
            Id = id!,
            Version = version!,
            Description = JsonSerializer.SerializeToElement(normalized),
            ExecutionUnit = unit.Clone(),
            Deployed = now,
        };
        return new ReadResult<ProcessDefinition>(definition, errors);
    }

    private static void CheckDescriptions(JsonElement desc, string name, FieldErrors errors, bool isInput)
    {
        var path = $"processDescription.{name}";
        if (JsonRead.Object(desc, name, path, errors) is not { } map)
        {
            return;
        }

        foreach (var item in map.EnumerateObject())
        {
            var itemPath = $"{path}.{item.Name}";
            if (item.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(itemPath, $"must be an object, not {JsonRead.Describe(item.Value.ValueKind)}");
                continue;
            }

            if (JsonRead.Object(item.Value, "schema", $"{itemPath}.schema", errors, required: true) is { } schema)
            {
                SchemaTypeCheck.Check(schema, $"{itemPath}.schema", errors);
            }

            if (!isInput)
            {
                continue;
            }

            var min = JsonRead.Integer(item.Value, "minOccurs", $"{itemPath}.minOccurs", errors);
            if (min < 0)
            {
                errors.Add($"{itemPath}.minOccurs", "must be 0 or more");
            }

            if (JsonRead.TryGet(item.Value, "maxOccurs", out var max))
            {
                var ok = (max.ValueKind == JsonValueKind.Number && max.TryGetInt32(out var maxValue) && maxValue >= Math.Max(1, min ?? 1))
                    || (max.ValueKind == JsonValueKind.String && max.GetString() == "unbounded");
                if (!ok)
                {
                    errors.Add($"{itemPath}.maxOccurs", "must be a whole number at least minOccurs (and 1), or \"unbounded\"");
                }
            }
        }
    }
}
