using System.Text;
using System.Text.Json;

namespace Jobs.Core.Validation;

/// <summary>
/// The limits Elasticsearch puts on what a job document may hold, checked when a request comes
/// in so that a value is refused with a 400 naming it instead of being accepted by one store and
/// rejected (or unreadable) later: the nesting of a <c>flattened</c> field (<c>inputs</c>,
/// <c>outputs</c>) and the size of a term indexed as a keyword.
/// </summary>
public static class IndexLimits
{
    /// <summary>
    /// Deepest nesting of <c>inputs</c> and <c>outputs</c>: Elasticsearch's <c>flattened</c>
    /// <c>depth_limit</c> default. The map itself is level 1; every object or array inside a
    /// value adds one (Elasticsearch counts only objects, so this is never looser than it).
    /// </summary>
    public const int MaxFlattenedDepth = 20;

    /// <summary>
    /// Largest term Lucene indexes, in UTF-8 bytes; Elasticsearch rejects a document with a
    /// longer keyword. For a flattened leaf the term is <c>key.path\0value</c>, so the key path counts.
    /// </summary>
    public const int MaxKeywordBytes = 32766;

    public static string DepthMessage => $"nests deeper than {MaxFlattenedDepth} levels (Elasticsearch's flattened depth_limit)";

    public static string KeywordMessage(int bytes) =>
        $"is {bytes} bytes as UTF-8; a value indexed as a keyword may be at most {MaxKeywordBytes} bytes (Lucene's term limit)";

    /// <summary>Reports a string indexed as a keyword that is too long.</summary>
    public static void CheckKeyword(string path, string? value, FieldErrors errors)
    {
        if (value is not null && value.Length > MaxKeywordBytes / 3 && Encoding.UTF8.GetByteCount(value) is var bytes and > MaxKeywordBytes)
        {
            errors.Add(path, KeywordMessage(bytes));
        }
    }

    /// <summary>Reports values of a flattened field (<paramref name="field"/>: <c>inputs</c> or <c>outputs</c>) that nest too deep or are too long.</summary>
    public static void CheckFlattened(string field, IReadOnlyDictionary<string, JsonElement> map, FieldErrors errors)
    {
        foreach (var (key, value) in map)
        {
            Walk(value, $"{field}.{key}", key, depth: 2, errors);
        }
    }

    /// <returns>False once a problem is reported, so one deep value is named once.</returns>
    private static bool Walk(JsonElement value, string path, string keyPath, int depth, FieldErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object or JsonValueKind.Array when depth > MaxFlattenedDepth:
                errors.Add(path, DepthMessage);
                return false;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (!Walk(property.Value, $"{path}.{property.Name}", $"{keyPath}.{property.Name}", depth + 1, errors))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (!Walk(item, $"{path}[{index++}]", keyPath, depth + 1, errors))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Null:
                return true;
            default:
                var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                var bytes = Encoding.UTF8.GetByteCount(keyPath) + 1 + Encoding.UTF8.GetByteCount(text);
                if (bytes > MaxKeywordBytes)
                {
                    errors.Add(path, KeywordMessage(bytes) + " (counting its key path, as the keyed flattened term does)");
                    return false;
                }

                return true;
        }
    }
}
