using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Jobs.Core.Validation;

/// <summary>
/// What every request body must be beyond well-formed JSON, checked before anything reads it:
/// strings (keys too) are valid UTF-8 without unpaired surrogate escapes (<c>"\ud800"</c>), no
/// object has a key twice, and every number is a finite double. System.Text.Json parses all of
/// these and only fails later, when a string is read (or silently keeps the last duplicate), so
/// without this walk they surface as server errors or as one of two values chosen by accident.
/// </summary>
/// <remarks>
/// The walk is ours rather than <c>JsonDocumentOptions.AllowDuplicateProperties = false</c>
/// because the errors must name the place (<c>inputs.x</c>, <c>labels[2]</c>), which that
/// option's exception does not.
/// </remarks>
public static class StrictJson
{
    /// <summary>Deepest request body accepted (System.Text.Json's default).</summary>
    public const int MaxRequestDepth = 64;

    /// <summary>Reports every place in <paramref name="root"/> that breaks the rules above.</summary>
    /// <param name="root">The parsed body.</param>
    /// <param name="errors">Where the problems go, by path.</param>
    /// <param name="duplicates">Whether a key given twice is reported (a search body's parser reports those itself, as Elasticsearch words them).</param>
    public static void Check(JsonElement root, FieldErrors errors, bool duplicates = true) => Walk(root, "", errors, duplicates);

    /// <summary>Parses UTF-8 JSON and checks it; null (and the problems reported) when it is not acceptable.</summary>
    public static JsonDocument? Parse(ReadOnlyMemory<byte> utf8, FieldErrors errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxRequestDepth });
        }
        catch (JsonException e)
        {
            errors.Add("", $"is not valid JSON: {e.Message}");
            return null;
        }

        var before = errors.Any;
        Check(document.RootElement, errors);
        if (!before && errors.Any)
        {
            document.Dispose();
            return null;
        }

        return document;
    }

    private static void Walk(JsonElement element, string path, FieldErrors errors, bool duplicates)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var property in element.EnumerateObject())
                {
                    if (TextProblem(property.Value, property) is { } keyProblem)
                    {
                        errors.Add(path, $"has a key that {keyProblem}");
                        continue;
                    }

                    var name = property.Name;
                    var child = JsonRead.Join(path, name);
                    seen ??= new HashSet<string>(StringComparer.Ordinal);
                    if (!seen.Add(name) && duplicates)
                    {
                        errors.Add(child, "is given more than once (duplicate key)");
                        continue;
                    }

                    Walk(property.Value, child, errors, duplicates);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", errors, duplicates);
                }

                break;
            case JsonValueKind.String:
                if (TextProblem(element, null) is { } problem)
                {
                    errors.Add(path, problem);
                }

                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    errors.Add(path, $"is a number out of range ({Shorten(element.GetRawText())}); numbers must fit a double (at most about 1.8e308)");
                }

                break;
        }
    }

    /// <summary>Why a string value (or, when <paramref name="key"/> is given, its key) cannot be read as text.</summary>
    private static string? TextProblem(JsonElement value, JsonProperty? key)
    {
        try
        {
            _ = key is { } k ? k.Name : value.GetString();
            return null;
        }
        catch (InvalidOperationException)
        {
            // Raw bytes that are not UTF-8, or an escape such as \ud800 without its pair.
            var raw = key is null ? JsonMarshal.GetRawUtf8Value(value) : default;
            return key is null && !Utf8.IsValid(raw)
                ? "is not valid UTF-8"
                : "is not valid text (invalid UTF-8, or an unpaired surrogate escape such as \\ud800)";
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
