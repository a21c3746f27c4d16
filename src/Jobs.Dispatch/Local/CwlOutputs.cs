using System.Text.Json;

namespace Jobs.Dispatch.Local;

/// <summary>
/// Maps cwltool's output object (what it prints on stdout) to a job's outputs: a File or
/// Directory becomes its <c>location</c> (a <c>file://</c> URL under the run's directory), an
/// array of them a list of locations, any other value stays as it is; null outputs are left out.
/// </summary>
public static class CwlOutputs
{
    public static Dictionary<string, JsonElement> Map(JsonElement outputObject)
    {
        var outputs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (outputObject.ValueKind != JsonValueKind.Object)
        {
            return outputs;
        }

        foreach (var output in outputObject.EnumerateObject())
        {
            if (output.Value.ValueKind != JsonValueKind.Null)
            {
                outputs[output.Name] = MapValue(output.Value);
            }
        }

        return outputs;
    }

    private static JsonElement MapValue(JsonElement value)
    {
        if (IsFileOrDirectory(value) && value.TryGetProperty("location", out var location))
        {
            return location.Clone();
        }

        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().Any(IsFileOrDirectory))
        {
            var items = value.EnumerateArray().Select(MapValue).ToList();
            return JsonSerializer.SerializeToElement(items);
        }

        return value.Clone();
    }

    private static bool IsFileOrDirectory(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("class", out var c)
        && c.ValueKind == JsonValueKind.String && c.GetString() is "File" or "Directory";
}
