using System.Text.Json;

namespace Jobs.Cli.Client;

/// <summary>An error body as one line: a problem document's detail (or title) and field errors, or an Elasticsearch error's reason.</summary>
public static class ProblemText
{
    public static string Describe(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Shorten(text);
            }

            var parts = new List<string>();
            foreach (var name in (string[])["detail", "title"])
            {
                if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
                {
                    parts.Add(v.GetString()!);
                    break;
                }
            }

            // Elasticsearch's error shape, answered by the search endpoints.
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String)
            {
                parts.Add(reason.GetString()!);
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                parts.AddRange(errors.EnumerateObject().Select(e =>
                    $"{(e.Name.Length == 0 ? "body" : e.Name)}: {string.Join(", ", e.Value.ValueKind == JsonValueKind.Array ? e.Value.EnumerateArray().Select(x => x.ToString()) : [e.Value.ToString()])}"));
            }

            return parts.Count > 0 ? string.Join("; ", parts) : Shorten(text);
        }
        catch (JsonException)
        {
            return Shorten(text);
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "…";
}
