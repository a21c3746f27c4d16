using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.Search.Json;

/// <summary>Reading the scalar values of a request the way Elasticsearch does.</summary>
public static class JsonScalars
{
    public static bool IsScalar(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    /// <summary>A value as a keyword sees it: strings as they are, numbers and booleans as their JSON text.</summary>
    public static string Text(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    public static bool TryNumber(JsonValue value, out double number)
    {
        number = 0;
        return value.GetValueKind() switch
        {
            JsonValueKind.Number => value.TryGetValue(out number) || double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            JsonValueKind.String => double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    public static string Kind(JsonNode? node) => node switch
    {
        JsonObject => "START_OBJECT",
        JsonArray => "START_ARRAY",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "VALUE_STRING",
            JsonValueKind.Number => "VALUE_NUMBER",
            JsonValueKind.True or JsonValueKind.False => "VALUE_BOOLEAN",
            _ => "VALUE_NULL",
        },
        _ => "VALUE_NULL",
    };

    public static int? Int(JsonNode? node, string name)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && TryNumber(v, out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }

        throw Jobs.Core.Search.SearchException.Parsing($"[{name}] must be a whole number, found [{node.ToJsonString()}]");
    }

    public static bool? Bool(JsonNode? node, string name)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.String when v.GetValue<string>() is "true" or "false":
                    return v.GetValue<string>() == "true";
            }
        }

        throw Jobs.Core.Search.SearchException.Parsing($"[{name}] must be a boolean, found [{node.ToJsonString()}]");
    }

    public static string? String(JsonNode? node, string name)
    {
        if (node is null)
        {
            return null;
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw Jobs.Core.Search.SearchException.Parsing($"[{name}] must be a string, found [{node.ToJsonString()}]");
    }

    public static float? Float(JsonNode? node, string name)
    {
        if (node is null)
        {
            return null;
        }

        return node is JsonValue v && TryNumber(v, out var d)
            ? (float)d
            : throw Jobs.Core.Search.SearchException.Parsing($"[{name}] must be a number, found [{node.ToJsonString()}]");
    }
}
