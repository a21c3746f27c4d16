using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Search.Queries;

/// <summary>
/// Full-text queries (Elasticsearch Query DSL > Full text queries): <c>match</c>,
/// <c>match_phrase</c>, <c>multi_match</c>, <c>query_string</c>, <c>simple_query_string</c>.
/// Options that would change the analysis (<c>analyzer</c>, fuzziness, synonyms) are refused by
/// name: this store has one analyser per field type, as the mapping says.
/// </summary>
internal static class FullTextParser
{
    private static readonly HashSet<string> Refused =
    [
        "analyzer", "quote_analyzer", "fuzziness", "fuzzy_rewrite", "quote_field_suffix", "cutoff_frequency",
    ];

    private static readonly HashSet<string> Ignored =
    [
        "_name", "auto_generate_synonyms_phrase_query", "prefix_length", "max_expansions", "fuzzy_transpositions",
        "fuzzy_max_expansions", "fuzzy_prefix_length", "enable_position_increments", "max_determinized_states",
        "escape", "rewrite", "analyze_wildcard",
    ];

    /// <summary><c>match</c> and <c>match_phrase</c>: <c>{"field": "text"}</c> or <c>{"field": {"query": …, …}}</c>.</summary>
    public static QueryNode ParseMatch(JsonObject obj, bool phrase)
    {
        var name = phrase ? "match_phrase" : "match";
        var (field, value) = TermLevelParser.SingleField(obj, name);
        float? boost = JsonScalars.Float(obj["boost"], "boost");
        var options = new TextOptions(false, null, null, false);
        var slop = 0;
        JsonNode? query = value;
        if (value is JsonObject settings)
        {
            query = null;
            foreach (var (key, item) in settings)
            {
                switch (key)
                {
                    case "query":
                        query = item;
                        break;
                    case "boost":
                        boost = JsonScalars.Float(item, key);
                        break;
                    case "slop" when phrase:
                        slop = Slop(item, key);
                        break;
                    case "zero_terms_query":
                        options = options with { ZeroTermsAll = ZeroTerms(item) };
                        break;
                    case "operator" when !phrase:
                        options = options with { And = Operator(item, key) };
                        break;
                    case "minimum_should_match" when !phrase:
                        options = options with { MinimumShouldMatch = MinimumShouldMatch(item, name) };
                        break;
                    case "lenient" when !phrase:
                        options = options with { Lenient = JsonScalars.Bool(item, key) };
                        break;
                    default:
                        Other(name, key);
                        break;
                }
            }
        }

        var text = QueryText(query, name);
        QueryNode node = phrase ? new MatchPhraseNode(field, text, slop, options) : new MatchNode(field, text, options);
        return node with { Boost = boost };
    }

    public static QueryNode ParseMultiMatch(JsonObject obj)
    {
        JsonNode? query = null;
        List<string> fields = [];
        var type = "best_fields";
        float? tieBreaker = null, boost = null;
        var slop = 0;
        var options = new TextOptions(false, null, null, false);
        foreach (var (key, item) in obj)
        {
            switch (key)
            {
                case "query": query = item; break;
                case "fields": fields = Fields(item, key); break;
                case "type": type = JsonScalars.String(item, key) ?? type; break;
                case "tie_breaker": tieBreaker = JsonScalars.Float(item, key); break;
                case "slop": slop = Slop(item, key); break;
                case "boost": boost = JsonScalars.Float(item, key); break;
                case "operator": options = options with { And = Operator(item, key) }; break;
                case "minimum_should_match": options = options with { MinimumShouldMatch = MinimumShouldMatch(item, "multi_match") }; break;
                case "lenient": options = options with { Lenient = JsonScalars.Bool(item, key) }; break;
                case "zero_terms_query": options = options with { ZeroTermsAll = ZeroTerms(item) }; break;
                default: Other("multi_match", key); break;
            }
        }

        type = type.ToLowerInvariant() switch
        {
            "best_fields" or "most_fields" or "phrase" => type.ToLowerInvariant(),
            "cross_fields" or "phrase_prefix" or "bool_prefix" => throw SearchException.Unsupported($"multi_match.type {type}"),
            _ => throw SearchException.Parsing($"[multi_match] query does not allow type [{type}]"),
        };
        return new MultiMatchNode(fields, QueryText(query, "multi_match"), type, tieBreaker, slop, options) { Boost = boost };
    }

    public static QueryNode ParseQueryString(JsonObject obj, bool simple)
    {
        var name = simple ? "simple_query_string" : "query_string";
        string? query = null, defaultField = null, timeZone = null;
        List<string> fields = [];
        var options = new TextOptions(false, null, null, false);
        var phraseSlop = 0;
        var allowLeadingWildcard = true;
        float? tieBreaker = null, boost = null;
        var type = "best_fields";
        var flags = SimpleQueryFlags.All;
        foreach (var (key, item) in obj)
        {
            switch (key)
            {
                case "query": query = JsonScalars.IsScalar(item) ? JsonScalars.Text(item!.AsValue()) : throw SearchException.Parsing($"[{name}] query must be a string"); break;
                case "default_field" when !simple: defaultField = JsonScalars.String(item, key); break;
                case "fields": fields = Fields(item, key); break;
                case "default_operator": options = options with { And = Operator(item, key) }; break;
                case "minimum_should_match": options = options with { MinimumShouldMatch = MinimumShouldMatch(item, name) }; break;
                case "lenient": options = options with { Lenient = JsonScalars.Bool(item, key) }; break;
                case "boost": boost = JsonScalars.Float(item, key); break;
                case "phrase_slop" when !simple: phraseSlop = Slop(item, key); break;
                case "time_zone" when !simple: timeZone = JsonScalars.String(item, key); break;
                case "allow_leading_wildcard" when !simple: allowLeadingWildcard = JsonScalars.Bool(item, key) ?? true; break;
                case "tie_breaker" when !simple: tieBreaker = JsonScalars.Float(item, key); break;
                case "type" when !simple: type = QueryStringType(item); break;
                case "flags" when simple: flags = SimpleQueryFlags.Parse(item); break;
                default: Other(name, key); break;
            }
        }

        if (query is null)
        {
            throw SearchException.Parsing($"[{name}] must be provided with a [query]");
        }

        if (defaultField is not null && fields.Count > 0)
        {
            throw SearchException.Parsing($"[{name}] cannot use [fields] parameter in conjunction with [default_field]");
        }

        return new QueryStringNode(simple, query, defaultField, fields, options, phraseSlop, timeZone, allowLeadingWildcard, tieBreaker, type, flags)
        {
            Boost = boost,
        };
    }

    /// <summary>A phrase's slop: Elasticsearch's builders refuse a negative one.</summary>
    private static int Slop(JsonNode? node, string name) =>
        JsonScalars.Int(node, name) is { } slop
            ? slop >= 0 ? slop : throw SearchException.IllegalArgument("No negative slop allowed.")
            : 0;

    private static string QueryText(JsonNode? query, string name) =>
        query is JsonValue v && JsonScalars.IsScalar(v)
            ? JsonScalars.Text(v)
            : throw SearchException.IllegalArgument($"[{name}] requires query value");

    private static void Other(string query, string key)
    {
        if (Refused.Contains(key))
        {
            throw SearchException.Unsupported($"{query}.{key}");
        }

        if (!Ignored.Contains(key))
        {
            throw SearchException.Parsing($"[{query}] query does not support [{key}]");
        }
    }

    private static bool Operator(JsonNode? node, string name) => JsonScalars.String(node, name)?.ToLowerInvariant() switch
    {
        "and" => true,
        "or" or null => false,
        var other => throw SearchException.IllegalArgument($"operator needs to be either [and] or [or], but not [{other}]"),
    };

    private static bool ZeroTerms(JsonNode? node) => JsonScalars.String(node, "zero_terms_query")?.ToLowerInvariant() switch
    {
        "all" => true,
        "none" or null => false,
        var other => throw SearchException.Parsing($"Unsupported zero_terms_query value [{other}]"),
    };

    private static string QueryStringType(JsonNode? node) => JsonScalars.String(node, "type")?.ToLowerInvariant() switch
    {
        "best_fields" or null => "best_fields",
        "most_fields" => "most_fields",
        var other => throw SearchException.Unsupported($"query_string.type {other}"),
    };

    private static string MinimumShouldMatch(JsonNode? node, string query)
    {
        var text = node is JsonValue v && JsonScalars.IsScalar(v)
            ? JsonScalars.Text(v)
            : throw SearchException.Parsing($"[{query}] minimum_should_match must be a number or a string");
        MinimumShouldMatchSpec.Check(text);
        return text;
    }

    private static List<string> Fields(JsonNode? node, string name) => node switch
    {
        JsonValue v when JsonScalars.IsScalar(v) => [JsonScalars.Text(v)],
        JsonArray a => [.. a.Select(i => JsonScalars.IsScalar(i) ? JsonScalars.Text(i!.AsValue()) : throw SearchException.Parsing($"[{name}] must contain field names"))],
        _ => throw SearchException.Parsing($"[{name}] must be a field name or an array of field names"),
    };
}
