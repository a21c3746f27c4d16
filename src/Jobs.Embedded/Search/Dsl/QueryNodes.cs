using System.Text.Json.Nodes;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// The parsed form of an Elasticsearch query: what <see cref="DslQueryParser"/> produces and
/// <see cref="LuceneQueryFactory"/> translates. New query types are a record here, a case in the
/// parser and one in the factory.
/// </summary>
internal abstract record QueryNode
{
    public float? Boost { get; init; }
}

internal sealed record MatchAllNode : QueryNode;

internal sealed record MatchNoneNode : QueryNode;

/// <summary>A scalar query value (string, number or boolean) as written.</summary>
internal sealed record TermNode(string Field, JsonValue Value) : QueryNode;

internal sealed record TermsNode(string Field, IReadOnlyList<JsonValue> Values) : QueryNode;

internal sealed record IdsNode(IReadOnlyList<string> Ids) : QueryNode;

internal sealed record ExistsNode(string Field) : QueryNode;

internal sealed record RangeBound(JsonValue Value, bool Inclusive);

internal sealed record RangeNode(string Field, RangeBound? Lower, RangeBound? Upper, string? Format, string? TimeZone) : QueryNode;

internal sealed record BoolNode(
    IReadOnlyList<QueryNode> Must,
    IReadOnlyList<QueryNode> Filter,
    IReadOnlyList<QueryNode> Should,
    IReadOnlyList<QueryNode> MustNot,
    string? MinimumShouldMatch) : QueryNode;
