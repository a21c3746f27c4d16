using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Search.Aggregations;
using Jobs.Search.Json;
using Jobs.Search.Queries;
using Jobs.Search.Sorting;

namespace Jobs.Search;

/// <summary>
/// Parses a <c>_search</c> or <c>_count</c> body into the search model, with Elasticsearch's
/// errors for what Elasticsearch itself would refuse while parsing (unknown keys, malformed
/// values, negative <c>from</c>/<c>size</c>). Checks that need the index (the mapping, the result
/// window) are the store's.
/// </summary>
public static class SearchRequestParser
{
    /// <summary>Top-level options kept verbatim: valid in Elasticsearch, run by no builder here.</summary>
    private static readonly HashSet<string> Opaque =
    [
        "min_score", "terminate_after", "highlight", "collapse", "rescore", "suggest", "pit", "indices_boost", "stats",
        "ext", "knn", "rank", "retriever", "slice", "sub_searches",
    ];

    public static SearchRequest Parse(JsonObject body)
    {
        var request = new SearchRequest { Json = body };
        var options = new List<RequestOption>();
        foreach (var (key, value) in body)
        {
            request = key switch
            {
                "query" => request with { Query = DslQueryParser.Parse(value), HasQuery = true },
                "from" => request with { From = JsonScalars.Int(value, key) ?? 0 },
                "size" => request with { Size = JsonScalars.Int(value, key) ?? SearchRequest.DefaultSize },
                "sort" => request with { Sort = SortParser.Parse(value) },
                "search_after" => request with { SearchAfter = value },
                "_source" => request with { Source = SourceFilter.Parse(value) },
                "track_total_hits" => request with { TrackTotalHitsUpTo = TrackTotalHits(value) },
                "track_scores" => request with { TrackScores = JsonScalars.Bool(value, key) ?? false },
                "aggs" or "aggregations" => request with { Aggregations = AggregationParser.Parse(value) },
                "timeout" => request with { Timeout = JsonScalars.IsScalar(value) ? JsonScalars.Text(value!.AsValue()) : throw SearchException.Parsing("[timeout] must be a time value") },
                _ => request,
            };
            if (Option(key, value) is { } option)
            {
                options.Add(option);
            }
        }

        if (request.From < 0)
        {
            throw SearchException.IllegalArgument($"[from] parameter cannot be negative, found [{request.From}]");
        }

        if (request.Size < 0)
        {
            throw SearchException.IllegalArgument($"[size] parameter cannot be negative, found [{request.Size}]");
        }

        if (request.SearchAfter is not null && request.From > 0)
        {
            throw SearchException.IllegalArgument("[from] parameter must be set to 0 when [search_after] is used");
        }

        return request with { Options = options };
    }

    /// <summary>A <c>_count</c> body: <c>query</c>, and <c>min_score</c> / <c>terminate_after</c> kept verbatim.</summary>
    public static CountRequest ParseCount(JsonObject? body)
    {
        body ??= [];
        var request = new CountRequest { Json = body };
        var options = new List<RequestOption>();
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "query":
                    request = request with { Query = DslQueryParser.Parse(value), HasQuery = true };
                    break;
                case "min_score" or "terminate_after":
                    options.Add(new OpaqueOption(key, value));
                    break;
                default:
                    throw SearchException.Parsing($"request does not support [{key}]");
            }
        }

        return request with { Options = options };
    }

    /// <summary>The option a top-level key is, if it is not one the model runs; unknown keys are Elasticsearch's error.</summary>
    private static RequestOption? Option(string key, JsonNode? value)
    {
        switch (key)
        {
            case "query" or "from" or "size" or "sort" or "search_after" or "_source" or "track_total_hits" or "track_scores"
                or "aggs" or "aggregations" or "timeout":
                return null;
            case "explain" or "version" or "seq_no_primary_term" or "profile":
                // Each adds to every hit (or to the response); false asks for nothing.
                return JsonScalars.Bool(value, key) == true ? new OpaqueOption(key, value) : null;
            case "post_filter":
                return new PostFilterOption(DslQueryParser.Parse(value), value);
            case "fields" or "docvalue_fields" or "stored_fields":
                return new FieldListOption(key, FieldPatterns(key, value), value);
            case "script_fields" or "runtime_mappings":
                return new ScriptOption(key, value);
            case var _ when Opaque.Contains(key):
                return new OpaqueOption(key, value);
            default:
                throw SearchException.Parsing($"Unknown key for a {JsonScalars.Kind(value)} in [{key}].");
        }
    }

    /// <summary>
    /// As Elasticsearch reads them: <c>stored_fields</c> takes a name or a list of names;
    /// <c>fields</c> and <c>docvalue_fields</c> a list of names or <c>{"field": …}</c> objects.
    /// </summary>
    private static List<string> FieldPatterns(string key, JsonNode? value)
    {
        if (value is JsonValue single && single.GetValueKind() == JsonValueKind.String && key == "stored_fields")
        {
            return [single.GetValue<string>()];
        }

        if (value is not JsonArray items)
        {
            throw SearchException.Parsing($"Unknown key for a {JsonScalars.Kind(value)} in [{key}].");
        }

        var patterns = new List<string>(items.Count);
        foreach (var item in items)
        {
            patterns.Add(item switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonObject o when key != "stored_fields" && o["field"] is JsonValue f && f.GetValueKind() == JsonValueKind.String => f.GetValue<string>(),
                _ => throw SearchException.Parsing($"Expected [VALUE_STRING] or [START_OBJECT] in [{key}] but found [{JsonScalars.Kind(item)}]"),
            });
        }

        return patterns;
    }

    private static int? TrackTotalHits(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => int.MaxValue,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => null,
        _ => JsonScalars.Int(value, "track_total_hits") is { } n ? (n < 0 ? null : n) : SearchRequest.DefaultTrackTotalHitsUpTo,
    };
}
