using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Search.Queries;

/// <summary>
/// Parses the Elasticsearch query DSL into <see cref="QueryNode"/>s, with Elasticsearch's errors
/// for malformed input: compound queries here, the others in <see cref="TermLevelParser"/> and
/// <see cref="FullTextParser"/>. Every node keeps the JSON it came from. A valid query that the
/// model does not parse (a type or an option no builder here runs) becomes an
/// <see cref="OpaqueQueryNode"/> naming the construct, so the embedded store refuses it by name
/// and Elasticsearch still receives it.
/// </summary>
public static class DslQueryParser
{
    /// <summary>Elasticsearch query types the model keeps opaque.</summary>
    private static readonly HashSet<string> Unsupported =
    [
        "match_phrase_prefix", "match_bool_prefix", "combined_fields", "regexp", "fuzzy", "terms_set", "intervals",
        "function_score", "boosting", "nested", "has_child", "has_parent", "parent_id",
        "geo_bounding_box", "geo_distance", "geo_polygon", "geo_shape", "shape", "more_like_this",
        "percolate", "wrapper", "pinned", "rank_feature", "distance_feature", "span_term", "span_multi", "span_first",
        "span_near", "span_or", "span_not", "span_containing", "span_within", "field_masking_span", "knn", "semantic",
        "sparse_vector", "text_expansion", "weighted_tokens", "rule", "type",
    ];

    /// <summary>Query types that run a script.</summary>
    private static readonly HashSet<string> Scripts = ["script", "script_score"];

    public static QueryNode Parse(JsonNode? node)
    {
        if (node is not JsonObject query)
        {
            throw SearchException.Parsing("[_na] query malformed, must start with start_object");
        }

        if (query.Count == 0)
        {
            return new MatchAllNode { Json = query };
        }

        var (name, body) = query.First();
        if (query.Count > 1)
        {
            throw SearchException.Parsing($"[{name}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]");
        }

        if (body is not JsonObject obj)
        {
            throw SearchException.Parsing($"[{name}] query malformed, no start_object after query name");
        }

        try
        {
            return ParseNamed(name, obj) with { Json = query };
        }
        catch (SearchException e) when (e.UnsupportedConstruct is { } construct)
        {
            return new OpaqueQueryNode(name, construct) { Json = query };
        }
    }

    private static QueryNode ParseNamed(string name, JsonObject obj)
    {
        return name switch
        {
            "match_all" => WithBoost(new MatchAllNode(), obj, name, []),
            "match_none" => WithBoost(new MatchNoneNode(), obj, name, []),
            "term" => TermLevelParser.ParseTerm(obj),
            "terms" => TermLevelParser.ParseTerms(obj),
            "ids" => TermLevelParser.ParseIds(obj),
            "exists" => TermLevelParser.ParseExists(obj),
            "range" => TermLevelParser.ParseRange(obj),
            "prefix" or "wildcard" => TermLevelParser.ParsePattern(obj, name),
            "match" => FullTextParser.ParseMatch(obj, phrase: false),
            "match_phrase" => FullTextParser.ParseMatch(obj, phrase: true),
            "multi_match" => FullTextParser.ParseMultiMatch(obj),
            "query_string" => FullTextParser.ParseQueryString(obj, simple: false),
            "simple_query_string" => FullTextParser.ParseQueryString(obj, simple: true),
            "bool" => ParseBool(obj),
            "constant_score" => ParseConstantScore(obj),
            "dis_max" => ParseDisMax(obj),
            _ when Scripts.Contains(name) => new ScriptQueryNode(name),
            _ when Unsupported.Contains(name) || name.StartsWith("geo_", StringComparison.Ordinal) || name.StartsWith("span_", StringComparison.Ordinal)
                => throw SearchException.Unsupported(name),
            _ => throw SearchException.Parsing($"unknown query [{name}]"),
        };
    }

    public static QueryNode WithBoost(QueryNode node, JsonObject obj, string query, string[] allowed)
    {
        float? boost = null;
        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "boost":
                    boost = JsonScalars.Float(value, "boost");
                    break;
                case "_name":
                    break;
                default:
                    if (!allowed.Contains(key))
                    {
                        throw SearchException.Parsing($"[{query}] query does not support [{key}]");
                    }

                    break;
            }
        }

        return node with { Boost = boost };
    }

    private static QueryNode ParseBool(JsonObject obj)
    {
        List<QueryNode> must = [], filter = [], should = [], mustNot = [];
        string? minimumShouldMatch = null;
        float? boost = null;
        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "must": Clauses(value, key, must); break;
                case "filter": Clauses(value, key, filter); break;
                case "should": Clauses(value, key, should); break;
                case "must_not" or "mustNot": Clauses(value, key, mustNot); break;
                case "minimum_should_match":
                    minimumShouldMatch = value is JsonValue v && JsonScalars.IsScalar(v)
                        ? JsonScalars.Text(v)
                        : throw SearchException.Parsing("[bool] minimum_should_match must be a number or a string");
                    break;
                case "boost":
                    boost = JsonScalars.Float(value, key);
                    break;
                case "adjust_pure_negative" or "_name":
                    break;
                default:
                    throw SearchException.Parsing($"[bool] query does not support [{key}]");
            }
        }

        return new BoolNode(must, filter, should, mustNot, minimumShouldMatch) { Boost = boost };
    }

    private static QueryNode ParseConstantScore(JsonObject obj)
    {
        var filter = obj["filter"] is { } node
            ? Parse(node)
            : throw SearchException.Parsing("[constant_score] requires a 'filter' element");
        return WithBoost(new ConstantScoreNode(filter), obj, "constant_score", ["filter"]);
    }

    private static QueryNode ParseDisMax(JsonObject obj)
    {
        var queries = new List<QueryNode>();
        Clauses(obj["queries"] ?? throw SearchException.Parsing("[dis_max] requires 'queries' field with at least one clause"), "queries", queries);
        var tieBreaker = JsonScalars.Float(obj["tie_breaker"], "tie_breaker") ?? 0f;
        return WithBoost(new DisMaxNode(queries, tieBreaker), obj, "dis_max", ["queries", "tie_breaker"]);
    }

    private static void Clauses(JsonNode? value, string occur, List<QueryNode> into)
    {
        switch (value)
        {
            case JsonObject clause:
                if (clause.Count > 0)
                {
                    into.Add(Parse(clause));
                }

                break;
            case JsonArray clauses:
                foreach (var item in clauses)
                {
                    if (item is JsonObject { Count: 0 })
                    {
                        continue; // Elasticsearch ignores empty clauses
                    }

                    into.Add(Parse(item));
                }

                break;
            default:
                throw SearchException.Parsing($"[bool] query does not support [{occur}] as {JsonScalars.Kind(value)}");
        }
    }
}
