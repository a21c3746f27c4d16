using System.Text.Json.Nodes;
using Jobs.Core.Search;
using SimpleOperator = Lucene.Net.QueryParsers.Simple.Operator;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>The <c>flags</c> of a <c>simple_query_string</c> (<c>"OR|AND|PREFIX"</c>, <c>ALL</c>, <c>NONE</c>, or a number).</summary>
internal static class SimpleQueryFlags
{
    public const int All = -1;

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
                "AND" => (int)SimpleOperator.AND_OPERATOR,
                "NOT" => (int)SimpleOperator.NOT_OPERATOR,
                "OR" => (int)SimpleOperator.OR_OPERATOR,
                "PREFIX" => (int)SimpleOperator.PREFIX_OPERATOR,
                "PHRASE" => (int)SimpleOperator.PHRASE_OPERATOR,
                "PRECEDENCE" => (int)SimpleOperator.PRECEDENCE_OPERATORS,
                "ESCAPE" => (int)SimpleOperator.ESCAPE_OPERATOR,
                "WHITESPACE" => (int)SimpleOperator.WHITESPACE_OPERATOR,
                "FUZZY" => (int)SimpleOperator.FUZZY_OPERATOR,
                "NEAR" or "SLOP" => (int)SimpleOperator.NEAR_OPERATOR,
                _ => throw SearchException.IllegalArgument($"Unknown simple_query_string flag [{name}]"),
            };
        }

        return flags;
    }
}
