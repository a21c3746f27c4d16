using System.IO.Enumeration;
using System.Text.Json.Nodes;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// Elasticsearch's <c>filter_path</c> response filter: comma-separated dotted paths, <c>*</c>
/// inside a name, <c>**</c> for any depth, a leading <c>-</c> to exclude. Arrays are transparent
/// (a path applies to each element) and what is left empty disappears, as on Elasticsearch.
/// </summary>
internal static class FilterPath
{
    public static JsonNode? Apply(JsonNode? response, string filterPath)
    {
        var includes = new List<string[]>();
        var excludes = new List<string[]>();
        foreach (var path in filterPath.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            (path.StartsWith('-') ? excludes : includes).Add((path.StartsWith('-') ? path[1..] : path).Split('.'));
        }

        var result = response;
        if (includes.Count > 0)
        {
            result = Include(result, [.. includes.Select(p => (p, 0))]) ?? new JsonObject();
        }
        else
        {
            result = result?.DeepClone();
        }

        return excludes.Count > 0 ? Exclude(result, [.. excludes.Select(p => (p, 0))]) ?? new JsonObject() : result;
    }

    private static JsonNode? Include(JsonNode? node, List<(string[] Path, int At)> states)
    {
        switch (node)
        {
            case JsonObject obj:
                var kept = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var next = Advance(states, key);
                    if (next.Any(s => s.At == s.Path.Length))
                    {
                        kept[key] = value?.DeepClone();
                    }
                    else if (next.Count > 0 && Include(value, next) is { } child)
                    {
                        kept[key] = child;
                    }
                }

                return kept.Count > 0 ? kept : null;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    if (Include(item, states) is { } child)
                    {
                        items.Add(child);
                    }
                }

                return items.Count > 0 ? items : null;
            default:
                return null;
        }
    }

    private static JsonNode? Exclude(JsonNode? node, List<(string[] Path, int At)> states)
    {
        switch (node)
        {
            case JsonObject obj:
                var kept = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var next = Advance(states, key);
                    if (next.Any(s => s.At == s.Path.Length))
                    {
                        continue;
                    }

                    var child = next.Count > 0 ? Exclude(value, next) : value?.DeepClone();
                    if (child is not null || value is null)
                    {
                        kept[key] = child;
                    }
                }

                return kept.Count > 0 || obj.Count == 0 ? kept : null;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => Exclude(item, states))]);
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>The states after descending into <paramref name="key"/>; <c>**</c> may take zero or more names.</summary>
    private static List<(string[] Path, int At)> Advance(List<(string[] Path, int At)> states, string key)
    {
        var next = new List<(string[] Path, int At)>();
        foreach (var (path, at) in states)
        {
            if (path[at] == "**")
            {
                next.Add((path, at));
                if (at + 1 == path.Length)
                {
                    next.Add((path, at + 1));
                }
                else if (Glob(path[at + 1], key))
                {
                    next.Add((path, at + 2));
                }
            }
            else if (Glob(path[at], key))
            {
                next.Add((path, at + 1));
            }
        }

        return next;
    }

    private static bool Glob(string pattern, string name) =>
        pattern == name || FileSystemName.MatchesSimpleExpression(pattern.Replace("?", "\\?", StringComparison.Ordinal), name, ignoreCase: false);
}
