using System.Text.Json;

namespace Jobs.Core.Validation;

/// <summary>Typed reads of request JSON that report wrong types by field path.</summary>
public static class JsonRead
{
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static string? String(JsonElement obj, string name, string path, FieldErrors errors, bool required = false)
    {
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                errors.Add(path, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(path, $"must be a string, not {Describe(value.ValueKind)}");
            return null;
        }

        return value.GetString();
    }

    public static int? Integer(JsonElement obj, string name, string path, FieldErrors errors, bool required = false)
    {
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                errors.Add(path, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            errors.Add(path, value.ValueKind == JsonValueKind.Number
                ? "must be a whole number"
                : $"must be a whole number, not {Describe(value.ValueKind)}");
            return null;
        }

        return number;
    }

    public static JsonElement? Object(JsonElement obj, string name, string path, FieldErrors errors, bool required = false)
    {
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                errors.Add(path, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"must be an object, not {Describe(value.ValueKind)}");
            return null;
        }

        return value;
    }

    /// <summary>An array of strings; null and reported when any item is not a string.</summary>
    public static List<string>? StringArray(JsonElement obj, string name, string path, FieldErrors errors)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        return StringArray(value, path, errors);
    }

    public static List<string>? StringArray(JsonElement value, string path, FieldErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, $"must be an array of strings, not {Describe(value.ValueKind)}");
            return null;
        }

        var list = new List<string>(value.GetArrayLength());
        var index = 0;
        var ok = true;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(item.GetString()!);
            }
            else
            {
                errors.Add($"{path}[{index}]", $"must be a string, not {Describe(item.ValueKind)}");
                ok = false;
            }

            index++;
        }

        return ok ? list : null;
    }

    /// <summary>Reports every member of <paramref name="obj"/> that is not in <paramref name="known"/>.</summary>
    public static void RefuseUnknown(JsonElement obj, string prefix, FieldErrors errors, params string[] known)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                errors.Add(Join(prefix, property.Name), $"is not a known field (known: {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>Parses UTF-8 JSON, reporting malformed input instead of throwing.</summary>
    public static JsonDocument? Parse(ReadOnlyMemory<byte> utf8, FieldErrors errors)
    {
        try
        {
            return JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = StrictJson.MaxRequestDepth });
        }
        catch (JsonException e)
        {
            errors.Add("", $"is not valid JSON: {e.Message}");
            return null;
        }
    }
}
