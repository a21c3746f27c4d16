using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Jobs.Embedded.Search.Aggregations;
using Jobs.Embedded.Search.Dsl;

namespace Jobs.Embedded.Search;

/// <summary>A parsed and checked <c>_search</c> request body.</summary>
internal sealed record SearchRequest(
    QueryNode Query,
    int From,
    int Size,
    SortPlan Sort,
    JsonNode? SearchAfter,
    SourceFilter Source,
    int? TrackTotalHitsUpTo,
    bool TrackScores,
    IReadOnlyList<AggregationSpec> Aggregations)
{
    public const int MaxResultWindow = 10_000;
    public const int DefaultTrackTotalHitsUpTo = 10_000;

    public static SearchRequest Parse(JsonObject body, FieldCatalog catalog)
    {
        QueryNode query = new MatchAllNode();
        int from = 0, size = 10;
        JsonNode? sort = null, searchAfter = null, aggs = null;
        var source = SourceFilter.All;
        int? trackTotalHits = DefaultTrackTotalHitsUpTo;
        var trackScores = false;
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "query":
                    query = DslQueryParser.Parse(value);
                    break;
                case "from":
                    from = JsonScalars.Int(value, key) ?? 0;
                    break;
                case "size":
                    size = JsonScalars.Int(value, key) ?? 10;
                    break;
                case "sort":
                    sort = value;
                    break;
                case "search_after":
                    searchAfter = value;
                    break;
                case "_source":
                    source = SourceFilter.Parse(value);
                    break;
                case "track_total_hits":
                    trackTotalHits = value switch
                    {
                        JsonValue v when v.GetValueKind() == JsonValueKind.True => int.MaxValue,
                        JsonValue v when v.GetValueKind() == JsonValueKind.False => null,
                        _ => JsonScalars.Int(value, key) is { } n ? (n < 0 ? null : n) : DefaultTrackTotalHitsUpTo,
                    };
                    break;
                case "track_scores":
                    trackScores = JsonScalars.Bool(value, key) ?? false;
                    break;
                case "aggs" or "aggregations":
                    aggs = value;
                    break;
                case "timeout":
                    break; // every search here is local and short
                case "explain" or "version" or "seq_no_primary_term" or "profile":
                    if (JsonScalars.Bool(value, key) == true)
                    {
                        throw SearchException.Unsupported(key);
                    }

                    break;
                case "post_filter" or "min_score" or "terminate_after" or "fields" or "docvalue_fields" or "stored_fields"
                    or "highlight" or "collapse" or "rescore" or "suggest" or "pit" or "indices_boost" or "runtime_mappings"
                    or "script_fields" or "stats" or "ext" or "knn" or "rank" or "retriever":
                    throw SearchException.Unsupported(key);
                default:
                    throw SearchException.Parsing($"Unknown key for a {JsonScalars.Kind(value)} in [{key}].");
            }
        }

        if (from < 0)
        {
            throw SearchException.IllegalArgument($"[from] parameter cannot be negative, found [{from}]");
        }

        if (size < 0)
        {
            throw SearchException.IllegalArgument($"[size] parameter cannot be negative, found [{size}]");
        }

        if (searchAfter is not null && from > 0)
        {
            throw SearchException.IllegalArgument("[from] parameter must be set to 0 when [search_after] is used");
        }

        if ((long)from + size > MaxResultWindow)
        {
            throw ShardFailure.Wrap(SearchException.IllegalArgument(
                $"Result window is too large, from + size must be less than or equal to: [{MaxResultWindow}] but was [{(long)from + size}]. "
                + "See the scroll api for a more efficient way to request large data sets. "
                + "This limit can be set by changing the [index.max_result_window] index level setting."));
        }

        return new SearchRequest(query, from, size, ParseSort(sort, catalog), searchAfter, source, trackTotalHits, trackScores, AggregationParser.Parse(aggs));
    }

    /// <summary>The sort's fields are checked against the mapping on the shard: a failure there is a shard failure.</summary>
    private static SortPlan ParseSort(JsonNode? sort, FieldCatalog catalog)
    {
        try
        {
            return SortPlan.Parse(sort, catalog);
        }
        catch (SearchException e) when (e.Type is "illegal_argument_exception" or "query_shard_exception")
        {
            throw ShardFailure.Wrap(e);
        }
    }

    /// <summary>A <c>_count</c> body: only <c>query</c>.</summary>
    public static QueryNode ParseCount(JsonObject? body)
    {
        QueryNode query = new MatchAllNode();
        foreach (var (key, value) in body ?? [])
        {
            query = key switch
            {
                "query" => DslQueryParser.Parse(value),
                "min_score" or "terminate_after" => throw SearchException.Unsupported(key),
                _ => throw SearchException.Parsing($"request does not support [{key}]"),
            };
        }

        return query;
    }
}
