using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Jobs.Core.Search;

/// <summary>
/// Prepares a caller's Elasticsearch request for the jobs index (DESIGN.md section 8): refuses
/// scripts, stored scripts and anything that reads another index; wraps a non-admin caller's
/// query so that it matches only their own jobs; hides the update-token hash from
/// <c>_source</c>. Used by the API in front of every store.
/// </summary>
public static class SearchScope
{
    /// <summary>The update-token hash: a field no search response may return.</summary>
    public const string HiddenField = "token-sha256";

    /// <summary>
    /// Every field no response may return: the update-token hash and the idempotency record
    /// (<see cref="Jobs.IdempotencyRecord"/>), with the latter's sub-fields.
    /// </summary>
    public static readonly IReadOnlyList<string> HiddenFields = [HiddenField, "idempotency"];

    private static readonly string[] HiddenNames = [HiddenField, "idempotency", "idempotency.key-sha256", "idempotency.request-sha256"];

    /// <summary>Removes the hidden fields from a job's <c>_source</c>.</summary>
    public static JsonObject RemoveHidden(JsonObject source)
    {
        foreach (var field in HiddenFields)
        {
            source.Remove(field);
        }

        return source;
    }

    private static readonly HashSet<string> TopLevel =
    [
        "query", "from", "size", "sort", "search_after", "_source", "track_total_hits", "aggs", "aggregations",
        "post_filter", "min_score", "timeout", "terminate_after", "track_scores", "version", "seq_no_primary_term",
        "explain", "fields", "docvalue_fields", "stored_fields", "highlight", "collapse", "rescore", "profile",
    ];

    private static readonly HashSet<string> ScriptKeys =
    [
        "script", "script_fields", "runtime_mappings", "scripted_metric", "script_score", "bucket_script",
        "bucket_selector", "bucket_script_selector", "percolate",
    ];

    /// <summary>Checks and scopes a <c>_search</c> body; returns a new object, the input is not changed.</summary>
    public static JsonObject PrepareSearch(JsonObject request, SearchCaller caller)
    {
        var prepared = request.DeepClone().AsObject();
        foreach (var (key, value) in prepared)
        {
            if (!TopLevel.Contains(key))
            {
                throw SearchException.Parsing($"Unknown key for a {TokenName(value)} in [{key}].");
            }
        }

        Guard(prepared, caller, path: "");
        Scope(prepared, caller);
        HideSource(prepared);
        return prepared;
    }

    /// <summary>Checks and scopes a <c>_count</c> body (only <c>query</c> is allowed).</summary>
    public static JsonObject PrepareCount(JsonObject? request, SearchCaller caller)
    {
        var prepared = request?.DeepClone().AsObject() ?? [];
        foreach (var (key, value) in prepared)
        {
            if (key is not ("query" or "min_score" or "terminate_after"))
            {
                throw SearchException.Parsing($"request does not support [{key}]");
            }
        }

        Guard(prepared, caller, path: "");
        Scope(prepared, caller);
        return prepared;
    }

    private static void Scope(JsonObject request, SearchCaller caller)
    {
        if (caller.IsAdmin)
        {
            return;
        }

        var original = request["query"]?.DeepClone() ?? new JsonObject { ["match_all"] = new JsonObject() };
        request["query"] = new JsonObject
        {
            ["bool"] = new JsonObject
            {
                ["must"] = new JsonArray(original),
                ["filter"] = new JsonArray(new JsonObject
                {
                    ["term"] = new JsonObject { ["user-id"] = caller.UserId ?? "" },
                }),
            },
        };
    }

    private static void HideSource(JsonObject request)
    {
        var source = request["_source"];
        JsonObject filter;
        switch (source)
        {
            case null:
                filter = new JsonObject();
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.False:
                return;
            case JsonValue v when v.GetValueKind() == JsonValueKind.True:
                filter = new JsonObject();
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                filter = new JsonObject { ["includes"] = new JsonArray(v.DeepClone()) };
                break;
            case JsonArray a:
                filter = new JsonObject { ["includes"] = a.DeepClone() };
                break;
            case JsonObject o:
                filter = o.DeepClone().AsObject();
                break;
            default:
                throw SearchException.Parsing("[_source] must be a boolean, a string, an array or an object");
        }

        var excludes = filter["excludes"] ?? filter["exclude"];
        var list = excludes switch
        {
            null => new JsonArray(),
            JsonArray a => a.DeepClone().AsArray(),
            JsonValue v => new JsonArray(v.DeepClone()),
            _ => throw SearchException.Parsing("[_source.excludes] must be a string or an array of strings"),
        };
        filter.Remove("exclude");
        foreach (var field in HiddenFields)
        {
            list.Add(field);
        }

        filter["excludes"] = list;
        request["_source"] = filter;
    }

    private static void Guard(JsonNode? node, SearchCaller caller, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var here = path.Length == 0 ? key : $"{path}.{key}";
                    if (ScriptKeys.Contains(key))
                    {
                        throw SearchException.IllegalArgument($"[{key}] is not allowed: scripts and stored scripts cannot be run through this API (at {here})");
                    }

                    if (key == "terms" && value is JsonObject terms && terms.Any(t => t.Value is JsonObject lookup && lookup.ContainsKey("index")))
                    {
                        throw SearchException.IllegalArgument($"a terms lookup reads another index and is not allowed (at {here})");
                    }

                    if (key is "_index" or "index" && (path.Contains("like", StringComparison.Ordinal)))
                    {
                        throw SearchException.IllegalArgument($"documents of another index cannot be referenced (at {here})");
                    }

                    if (!caller.IsAdmin && key is "global" && path.Contains("agg", StringComparison.Ordinal))
                    {
                        throw SearchException.IllegalArgument($"a [global] aggregation would read other users' jobs and is not allowed (at {here})");
                    }

                    if (key is "fields" or "docvalue_fields" or "stored_fields" && path.Length == 0)
                    {
                        RefuseHiddenField(value, key);
                    }

                    Guard(value, caller, here);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Guard(item, caller, path);
                }

                break;
        }
    }

    private static void RefuseHiddenField(JsonNode? value, string key)
    {
        IEnumerable<JsonNode?> items = value is JsonArray a ? a : [value];
        foreach (var item in items)
        {
            var pattern = item switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonObject o when o["field"] is JsonValue f => f.GetValue<string>(),
                _ => null,
            };
            var regex = pattern is null ? null : "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
            if (regex is not null && HiddenNames.FirstOrDefault(name => Regex.IsMatch(name, regex)) is { } hidden)
            {
                throw SearchException.IllegalArgument($"[{key}] may not read the field [{hidden}]; name the fields you need");
            }
        }
    }

    private static string TokenName(JsonNode? value) => value switch
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
}
