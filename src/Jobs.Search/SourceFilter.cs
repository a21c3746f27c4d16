using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Search;

/// <summary>
/// Elasticsearch <c>_source</c> filtering: <c>true</c>, <c>false</c>, a pattern, a list of
/// patterns, or <c>{"includes": …, "excludes": …}</c>. Patterns match dotted paths and <c>*</c>
/// matches any characters, dots included; including an object includes all of it; excludes win.
/// </summary>
public sealed class SourceFilter
{
    private readonly string[] _includes;
    private readonly string[] _excludes;

    private SourceFilter(bool fetch, string[] includes, string[] excludes)
    {
        Fetch = fetch;
        _includes = includes;
        _excludes = excludes;
    }

    public static SourceFilter All { get; } = new(true, [], []);

    public bool Fetch { get; }

    public bool IsIdentity => Fetch && _includes.Length == 0 && _excludes.Length == 0;

    public IReadOnlyList<string> Includes => _includes;

    public IReadOnlyList<string> Excludes => _excludes;

    /// <summary>The <c>_source</c> as written (null when the request had none).</summary>
    public JsonNode? Json { get; private init; }

    public static SourceFilter Parse(JsonNode? node) => ParseFilter(node) is var filter && node is not null
        ? new SourceFilter(filter.Fetch, filter._includes, filter._excludes) { Json = node }
        : filter;

    /// <summary>
    /// This filter with <paramref name="field"/> excluded as well; its JSON keeps what the caller
    /// wrote (includes as given, excludes as a list) and adds the field to <c>excludes</c>.
    /// Nothing to add when no source is fetched.
    /// </summary>
    public SourceFilter Excluding(string field)
    {
        if (!Fetch)
        {
            return this;
        }

        var json = Json switch
        {
            JsonObject o => o.DeepClone().AsObject(),
            JsonArray a => new JsonObject { ["includes"] = a.DeepClone() },
            JsonValue v when v.GetValueKind() == JsonValueKind.String => new JsonObject { ["includes"] = new JsonArray(v.DeepClone()) },
            _ => new JsonObject(),
        };
        var excludes = (json["excludes"] ?? json["exclude"]) switch
        {
            null => new JsonArray(),
            JsonArray a => a.DeepClone().AsArray(),
            var v => new JsonArray(v.DeepClone()),
        };
        json.Remove("exclude");
        excludes.Add(field);
        json["excludes"] = excludes;
        return new SourceFilter(true, _includes, [.. _excludes, field]) { Json = json };
    }

    private static SourceFilter ParseFilter(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return All;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return v.GetValue<bool>() ? All : new SourceFilter(false, [], []);
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return new SourceFilter(true, [v.GetValue<string>()], []);
            case JsonArray a:
                return new SourceFilter(true, Patterns(a, "_source"), []);
            case JsonObject o:
                string[] includes = [], excludes = [];
                foreach (var (key, value) in o)
                {
                    switch (key)
                    {
                        case "includes" or "include":
                            includes = Patterns(value, key);
                            break;
                        case "excludes" or "exclude":
                            excludes = Patterns(value, key);
                            break;
                        default:
                            throw SearchException.Parsing($"Unknown key for a START_OBJECT in [{key}] in [_source].");
                    }
                }

                return new SourceFilter(true, includes, excludes);
            default:
                throw SearchException.Parsing("[_source] must be a boolean, a string, an array or an object");
        }
    }

    /// <summary>Filters the source in place and returns it.</summary>
    public JsonObject Apply(JsonObject source)
    {
        if (!IsIdentity)
        {
            FilterObject(source, "", _includes.Length == 0);
        }

        return source;
    }

    private void FilterObject(JsonObject obj, string prefix, bool included)
    {
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            var path = prefix + key;
            if (_excludes.Any(p => Glob(p, path, prefixOnly: false)))
            {
                obj.Remove(key);
                continue;
            }

            var here = included || _includes.Any(p => Glob(p, path, prefixOnly: false));
            if (!here && !_includes.Any(p => Glob(p, path + ".", prefixOnly: true)))
            {
                obj.Remove(key);
                continue;
            }

            var keep = FilterValue(obj[key], path, here);
            if (!keep)
            {
                obj.Remove(key);
            }
        }
    }

    /// <summary>False when nothing of a value that was only partly included is left.</summary>
    private bool FilterValue(JsonNode? value, string path, bool included)
    {
        switch (value)
        {
            case JsonObject child:
                FilterObject(child, path + ".", included);
                return included || child.Count > 0;
            case JsonArray array:
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    if (!FilterValue(array[i], path, included))
                    {
                        array.RemoveAt(i);
                    }
                }

                return included || array.Count > 0;
            default:
                return included;
        }
    }

    /// <summary>
    /// Whether <paramref name="text"/> matches the pattern (<c>*</c> = any characters), or with
    /// <paramref name="prefixOnly"/> whether some longer text starting with it could.
    /// </summary>
    private static bool Glob(string pattern, string text, bool prefixOnly)
    {
        return Match(0, 0);

        bool Match(int p, int t)
        {
            while (true)
            {
                if (prefixOnly && t == text.Length)
                {
                    return true;
                }

                if (p == pattern.Length)
                {
                    return t == text.Length;
                }

                if (pattern[p] == '*')
                {
                    // Collapse runs of stars, then try every split.
                    while (p < pattern.Length && pattern[p] == '*')
                    {
                        p++;
                    }

                    if (p == pattern.Length)
                    {
                        return true;
                    }

                    for (var k = t; k <= text.Length; k++)
                    {
                        if (Match(p, k))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                if (t == text.Length || pattern[p] != text[t])
                {
                    return false;
                }

                p++;
                t++;
            }
        }
    }

    private static string[] Patterns(JsonNode? node, string name) => node switch
    {
        null => [],
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a => [.. a.Select(i => i is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : throw SearchException.Parsing($"[{name}] must contain strings"))],
        _ => throw SearchException.Parsing($"[{name}] must be a string or an array of strings"),
    };
}
