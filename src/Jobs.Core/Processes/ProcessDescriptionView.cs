using System.Text.Json;

namespace Jobs.Core.Processes;

/// <summary>One input of a process description.</summary>
/// <param name="MinOccurs">How many values are required (0: optional).</param>
/// <param name="MaxOccurs">How many values are allowed; null: unbounded.</param>
/// <param name="Schema">The JSON Schema of one value.</param>
public sealed record InputDescription(int MinOccurs, int? MaxOccurs, JsonElement? Schema);

/// <summary>What execute requests are checked against: a deployed process description, read.</summary>
public sealed record ProcessDescriptionView(
    string Id,
    string Version,
    string? Title,
    IReadOnlyList<string> JobControlOptions,
    IReadOnlyDictionary<string, InputDescription> Inputs,
    IReadOnlyList<string> OutputIds)
{
    /// <summary>Reads a description that <see cref="ApplicationPackageReader"/> accepted.</summary>
    public static ProcessDescriptionView From(JsonElement description)
    {
        var inputs = new Dictionary<string, InputDescription>(StringComparer.Ordinal);
        if (description.TryGetProperty("inputs", out var inputMap) && inputMap.ValueKind == JsonValueKind.Object)
        {
            foreach (var input in inputMap.EnumerateObject())
            {
                var min = input.Value.TryGetProperty("minOccurs", out var m) && m.TryGetInt32(out var mi) ? mi : 1;
                int? max = 1;
                if (input.Value.TryGetProperty("maxOccurs", out var x))
                {
                    max = x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var xi) ? xi : null;
                }

                JsonElement? schema = input.Value.TryGetProperty("schema", out var s) ? s : null;
                inputs[input.Name] = new InputDescription(min, max, schema);
            }
        }

        var outputs = description.TryGetProperty("outputs", out var outputMap) && outputMap.ValueKind == JsonValueKind.Object
            ? outputMap.EnumerateObject().Select(o => o.Name).ToList()
            : [];

        var options = description.TryGetProperty("jobControlOptions", out var jco) && jco.ValueKind == JsonValueKind.Array
            ? jco.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [.. ApplicationPackageReader.DefaultJobControlOptions];

        return new ProcessDescriptionView(
            description.GetProperty("id").GetString()!,
            description.GetProperty("version").GetString()!,
            description.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null,
            options,
            inputs,
            outputs);
    }
}
