using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Search.Queries;

/// <summary>
/// Term-level queries (Elasticsearch Query DSL > Term-level queries): <c>term</c>, <c>terms</c>,
/// <c>ids</c>, <c>exists</c>, <c>range</c>, <c>prefix</c>, <c>wildcard</c>.
/// </summary>
internal static class TermLevelParser
{
    public static (string Field, JsonNode? Value) SingleField(JsonObject obj, string query)
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

    public static QueryNode ParseTerm(JsonObject obj)
    {
        var (field, value) = SingleField(obj, "term");
        float? boost = JsonScalars.Float(obj["boost"], "boost");
        var caseInsensitive = false;
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
                        caseInsensitive = JsonScalars.Bool(item, key) ?? false;
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

        return new TermNode(field, value.AsValue(), caseInsensitive) { Boost = boost };
    }

    public static QueryNode ParseTerms(JsonObject obj)
    {
        var (field, value) = SingleField(obj, "terms");
        if (value is JsonObject lookup)
        {
            // {"terms":{"field":{"index":…,"id":…,"path":…}}} reads a document of another index.
            return new TermsLookupNode(field, JsonScalars.String(lookup["index"], "index")) { Boost = JsonScalars.Float(obj["boost"], "boost") };
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

    public static QueryNode ParseIds(JsonObject obj)
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

        return DslQueryParser.WithBoost(new IdsNode(ids), obj, "ids", ["values", "type"]);
    }

    public static QueryNode ParseExists(JsonObject obj)
    {
        var field = JsonScalars.String(obj["field"], "field") ?? throw SearchException.IllegalArgument("[exists] must be provided with a [field]");
        return DslQueryParser.WithBoost(new ExistsNode(field), obj, "exists", ["field"]);
    }

    public static QueryNode ParseRange(JsonObject obj)
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

    /// <summary><c>prefix</c> and <c>wildcard</c>: <c>{"field": "value"}</c> or <c>{"field": {"value": …, "case_insensitive": …}}</c>.</summary>
    public static QueryNode ParsePattern(JsonObject obj, string query)
    {
        var (field, value) = SingleField(obj, query);
        float? boost = JsonScalars.Float(obj["boost"], "boost");
        var caseInsensitive = false;
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
                    case "wildcard" when query == "wildcard":
                        inner = item;
                        break;
                    case "boost":
                        boost = JsonScalars.Float(item, key);
                        break;
                    case "case_insensitive":
                        caseInsensitive = JsonScalars.Bool(item, key) ?? false;
                        break;
                    case "rewrite":
                        JsonScalars.String(item, key); // every rewrite scores the same here: constant
                        break;
                    case "_name":
                        break;
                    default:
                        throw SearchException.Parsing($"[{query}] query does not support [{key}]");
                }
            }

            value = inner;
        }

        if (value is null || !JsonScalars.IsScalar(value))
        {
            throw SearchException.IllegalArgument($"[{query}] requires a value for the field [{field}]");
        }

        var text = JsonScalars.Text(value.AsValue());
        return query == "prefix"
            ? new PrefixNode(field, text, caseInsensitive) { Boost = boost }
            : new WildcardNode(field, text, caseInsensitive) { Boost = boost };
    }
}
