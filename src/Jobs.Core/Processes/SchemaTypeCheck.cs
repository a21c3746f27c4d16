using System.Text.Json;
using Jobs.Core.Validation;

namespace Jobs.Core.Processes;

/// <summary>
/// Checks the <c>type</c> keywords of a deployed input or output schema: each must be one of
/// JSON Schema's seven type names, or an array of them, at every level (<c>items</c>,
/// <c>properties</c>, <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c>, …). Execute checks values
/// against these types, and an unknown name would otherwise match any value.
/// </summary>
/// <remarks>
/// Only <c>type</c> is checked, not the whole meta-schema: OGC descriptions are OpenAPI 3.0
/// schema objects with keywords of their own, and the rest of a schema never decides whether
/// a value is accepted in a way that can fail open.
/// </remarks>
public static class SchemaTypeCheck
{
    public static readonly IReadOnlyList<string> TypeNames = ["string", "number", "integer", "boolean", "object", "array", "null"];

    private static readonly string[] SchemaMaps = ["properties", "patternProperties", "$defs", "definitions"];
    private static readonly string[] SchemaLists = ["oneOf", "anyOf", "allOf", "prefixItems"];
    private static readonly string[] SchemaValues = ["items", "additionalProperties", "not", "contains"];

    public static void Check(JsonElement schema, string path, FieldErrors errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !IsValidType(type))
        {
            errors.Add($"{path}.type", $"must be one of {string.Join(", ", TypeNames)}, or an array of them (got {Shorten(type.GetRawText())})");
        }

        foreach (var name in SchemaValues)
        {
            if (schema.TryGetProperty(name, out var child))
            {
                if (child.ValueKind == JsonValueKind.Array)
                {
                    CheckList(child, $"{path}.{name}", errors);
                }
                else
                {
                    Check(child, $"{path}.{name}", errors);
                }
            }
        }

        foreach (var name in SchemaLists)
        {
            if (schema.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                CheckList(list, $"{path}.{name}", errors);
            }
        }

        foreach (var name in SchemaMaps)
        {
            if (schema.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in map.EnumerateObject())
                {
                    Check(property.Value, $"{path}.{name}.{property.Name}", errors);
                }
            }
        }
    }

    private static void CheckList(JsonElement list, string path, FieldErrors errors)
    {
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            Check(item, $"{path}[{index++}]", errors);
        }
    }

    private static bool IsValidType(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => TypeNames.Contains(type.GetString()!),
        JsonValueKind.Array => type.GetArrayLength() > 0
            && type.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String && TypeNames.Contains(t.GetString()!))
            && type.EnumerateArray().Select(t => t.GetString()).Distinct(StringComparer.Ordinal).Count() == type.GetArrayLength(),
        _ => false,
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
