using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// Parses the Elasticsearch query DSL into <see cref="QueryNode"/>s, with Elasticsearch's errors
/// for malformed input. Query types of DESIGN.md section 8 that this store does not implement yet
/// are refused by name (<see cref="SearchException.Unsupported"/>), never answered wrongly.
/// </summary>
internal static class DslQueryParser
{
    /// <summary>Elasticsearch query types this store does not implement (yet): refused by name.</summary>
    private static readonly HashSet<string> Unsupported =
    [
        "match", "match_phrase", "match_phrase_prefix", "match_bool_prefix", "multi_match", "combined_fields",
        "query_string", "simple_query_string", "prefix", "wildcard", "regexp", "fuzzy", "terms_set", "intervals",
        "constant_score", "dis_max", "function_score", "boosting", "nested", "has_child", "has_parent", "parent_id",
        "geo_bounding_box", "geo_distance", "geo_polygon", "geo_shape", "shape", "more_like_this", "script", "script_score",
        "percolate", "wrapper", "pinned", "rank_feature", "distance_feature", "span_term", "span_multi", "span_first",
        "span_near", "span_or", "span_not", "span_containing", "span_within", "field_masking_span", "knn", "semantic",
        "sparse_vector", "text_expansion", "weighted_tokens", "rule", "type",
    ];

    public static QueryNode Parse(JsonNode? node)
    {
        if (node is not JsonObject query)
        {
            throw SearchException.Parsing("[_na] query malformed, must start with start_object");
        }

        if (query.Count == 0)
        {
            return new MatchAllNode();
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

        return name switch
        {
            "match_all" => WithBoost(new MatchAllNode(), obj, name, []),
            "match_none" => WithBoost(new MatchNoneNode(), obj, name, []),
            "term" => ParseTerm(obj),
            "terms" => ParseTerms(obj),
            "ids" => ParseIds(obj),
            "exists" => ParseExists(obj),
            "range" => ParseRange(obj),
            "bool" => ParseBool(obj),
            _ when Unsupported.Contains(name) || name.StartsWith("geo_", StringComparison.Ordinal) || name.StartsWith("span_", StringComparison.Ordinal)
                => throw SearchException.Unsupported(name),
            _ => throw SearchException.Parsing($"unknown query [{name}]"),
        };
    }

    private static QueryNode WithBoost(QueryNode node, JsonObject obj, string query, string[] allowed)
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

    private static (string Field, JsonNode? Value) SingleField(JsonObject obj, string query)
    {
        string? field = null;
        JsonNode? value = null;
        foreach (var (key, item) in obj)
        {
            if (key is "boost" or "_name")
            {
                continue;
            }

            if (field is not null)
            {
                throw SearchException.Parsing($"[{query}] query doesn't support multiple fields, found [{field}] and [{key}]");
            }

            field = key;
            value = item;
        }

        return field is null
            ? throw SearchException.IllegalArgument($"[{query}] query requires a field")
            : (field, value);
    }

    private static QueryNode ParseTerm(JsonObject obj)
    {
        var (field, value) = SingleField(obj, "term");
        float? boost = JsonScalars.Float(obj["boost"], "boost");
        if (value is JsonObject options)
        {
            JsonNode? inner = null;
            foreach (var (key, item) in options)
            {
                switch (key)
                {
                    case "value":
                        inner = item;
                        break;
                    case "boost":
                        boost = JsonScalars.Float(item, "boost");
                        break;
                    case "case_insensitive":
                        if (JsonScalars.Bool(item, key) == true)
                        {
                            throw SearchException.Unsupported("term.case_insensitive");
                        }

                        break;
                    case "_name":
                        break;
                    default:
                        throw SearchException.Parsing($"[term] query does not support [{key}]");
                }
            }

            value = inner;
        }

        if (value is null)
        {
            throw SearchException.IllegalArgument("value cannot be null");
        }

        if (!JsonScalars.IsScalar(value))
        {
            throw SearchException.Parsing($"[term] query does not support array of values");
        }

        return new TermNode(field, value.AsValue()) { Boost = boost };
    }

    private static QueryNode ParseTerms(JsonObject obj)
    {
        var (field, value) = SingleField(obj, "terms");
        if (value is JsonObject)
        {
            throw SearchException.Unsupported("terms lookup");
        }

        if (value is not JsonArray array)
        {
            throw SearchException.Parsing($"[terms] query does not support [{field}]");
        }

        var values = new List<JsonValue>(array.Count);
        foreach (var item in array)
        {
            if (!JsonScalars.IsScalar(item))
            {
                throw SearchException.Parsing("[terms] query does not support null or non-scalar values");
            }

            values.Add(item!.AsValue());
        }

        return new TermsNode(field, values) { Boost = JsonScalars.Float(obj["boost"], "boost") };
    }

    private static QueryNode ParseIds(JsonObject obj)
    {
        var ids = new List<string>();
        if (obj["values"] is JsonNode values)
        {
            if (values is not JsonArray array)
            {
                throw SearchException.Parsing("[ids] values must be an array");
            }

            foreach (var item in array)
            {
                ids.Add(JsonScalars.IsScalar(item) ? JsonScalars.Text(item!.AsValue()) : throw SearchException.Parsing("[ids] values must be strings"));
            }
        }

        return WithBoost(new IdsNode(ids), obj, "ids", ["values", "type"]);
    }

    private static QueryNode ParseExists(JsonObject obj)
    {
        var field = JsonScalars.String(obj["field"], "field") ?? throw SearchException.IllegalArgument("[exists] must be provided with a [field]");
        return WithBoost(new ExistsNode(field), obj, "exists", ["field"]);
    }

    private static QueryNode ParseRange(JsonObject obj)
    {
        var (field, value) = SingleField(obj, "range");
        if (value is not JsonObject options)
        {
            throw SearchException.Parsing($"[range] query malformed, no start_object after field name [{field}]");
        }

        RangeBound? lower = null, upper = null;
        JsonValue? from = null, to = null;
        bool includeLower = true, includeUpper = true;
        string? format = null, zone = null;
        float? boost = JsonScalars.Float(obj["boost"], "boost");
        foreach (var (key, item) in options)
        {
            switch (key)
            {
                case "gt" or "gte" or "lt" or "lte" or "from" or "to":
                    if (item is null)
                    {
                        continue; // an open end
                    }

                    if (!JsonScalars.IsScalar(item))
                    {
                        throw SearchException.Parsing($"[range] query does not support a non-scalar [{key}]");
                    }

                    var bound = item.AsValue();
                    switch (key)
                    {
                        case "gt": lower = new RangeBound(bound, false); break;
                        case "gte": lower = new RangeBound(bound, true); break;
                        case "lt": upper = new RangeBound(bound, false); break;
                        case "lte": upper = new RangeBound(bound, true); break;
                        case "from": from = bound; break;
                        default: to = bound; break;
                    }

                    break;
                case "include_lower":
                    includeLower = JsonScalars.Bool(item, key) ?? true;
                    break;
                case "include_upper":
                    includeUpper = JsonScalars.Bool(item, key) ?? true;
                    break;
                case "format":
                    format = JsonScalars.String(item, key);
                    break;
                case "time_zone":
                    zone = JsonScalars.String(item, key);
                    break;
                case "boost":
                    boost = JsonScalars.Float(item, key);
                    break;
                case "relation":
                    if (!string.Equals(JsonScalars.String(item, key), "intersects", StringComparison.OrdinalIgnoreCase))
                    {
                        throw SearchException.Unsupported("range.relation");
                    }

                    break;
                case "_name":
                    break;
                default:
                    throw SearchException.Parsing($"[range] query does not support [{key}]");
            }
        }

        if (from is not null)
        {
            lower ??= new RangeBound(from, includeLower);
        }

        if (to is not null)
        {
            upper ??= new RangeBound(to, includeUpper);
        }

        return new RangeNode(field, lower, upper, format, zone) { Boost = boost };
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
