using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Search.Queries;

/// <summary>
/// The <c>flags</c> of a <c>simple_query_string</c> (<c>"OR|AND|PREFIX"</c>, <c>ALL</c>, <c>NONE</c>, or a number).
/// The bit values are Elasticsearch's <c>SimpleQueryStringFlag</c>s, which are also Lucene's
/// simple query parser operators, so a store can hand them to that parser unchanged.
/// </summary>
public static class SimpleQueryFlags
{
    public const int All = -1;
    public const int And = 1 << 0;
    public const int Not = 1 << 1;
    public const int Or = 1 << 2;
    public const int Prefix = 1 << 3;
    public const int Phrase = 1 << 4;
    public const int Precedence = 1 << 5;
    public const int Escape = 1 << 6;
    public const int Whitespace = 1 << 7;
    public const int Fuzzy = 1 << 8;
    public const int Near = 1 << 9;

    public static int Parse(JsonNode? node)
    {
        if (node is JsonValue v && JsonScalars.TryNumber(v, out var number))
        {
            return (int)number;
        }

        var text = JsonScalars.String(node, "flags") ?? "ALL";
        var flags = 0;
        foreach (var name in text.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            flags |= name.ToUpperInvariant() switch
            {
                "ALL" => All,
                "NONE" => 0,
                "AND" => And,
                "NOT" => Not,
                "OR" => Or,
                "PREFIX" => Prefix,
                "PHRASE" => Phrase,
                "PRECEDENCE" => Precedence,
                "ESCAPE" => Escape,
                "WHITESPACE" => Whitespace,
                "FUZZY" => Fuzzy,
                "NEAR" or "SLOP" => Near,
                _ => throw SearchException.IllegalArgument($"Unknown simple_query_string flag [{name}]"),
            };
        }

        return flags;
    }
}
