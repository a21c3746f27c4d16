using System.Text.Json.Nodes;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// The parsed form of an Elasticsearch query: what <see cref="DslQueryParser"/> produces and
/// <see cref="LuceneQueryFactory"/> translates. New query types are a record here, a case in a
/// parser and one in the factory.
/// </summary>
internal abstract record QueryNode
{
    public float? Boost { get; init; }
}

internal sealed record MatchAllNode : QueryNode;

internal sealed record MatchNoneNode : QueryNode;

/// <summary>A scalar query value (string, number or boolean) as written.</summary>
internal sealed record TermNode(string Field, JsonValue Value, bool CaseInsensitive = false) : QueryNode;

internal sealed record TermsNode(string Field, IReadOnlyList<JsonValue> Values) : QueryNode;

internal sealed record IdsNode(IReadOnlyList<string> Ids) : QueryNode;

internal sealed record ExistsNode(string Field) : QueryNode;

internal sealed record PrefixNode(string Field, string Value, bool CaseInsensitive) : QueryNode;

/// <summary><c>*</c> matches any characters, <c>?</c> one character.</summary>
internal sealed record WildcardNode(string Field, string Pattern, bool CaseInsensitive) : QueryNode;

internal sealed record RangeBound(JsonValue Value, bool Inclusive);

internal sealed record RangeNode(string Field, RangeBound? Lower, RangeBound? Upper, string? Format, string? TimeZone) : QueryNode;

internal sealed record BoolNode(
    IReadOnlyList<QueryNode> Must,
    IReadOnlyList<QueryNode> Filter,
    IReadOnlyList<QueryNode> Should,
    IReadOnlyList<QueryNode> MustNot,
    string? MinimumShouldMatch) : QueryNode;

internal sealed record ConstantScoreNode(QueryNode Filter) : QueryNode;

internal sealed record DisMaxNode(IReadOnlyList<QueryNode> Queries, float TieBreaker) : QueryNode;

/// <summary>How analysed text becomes a query: the operator between terms, minimum_should_match, leniency.</summary>
internal sealed record TextOptions(bool And, string? MinimumShouldMatch, bool? Lenient, bool ZeroTermsAll);

internal sealed record MatchNode(string Field, string Text, TextOptions Options) : QueryNode;

internal sealed record MatchPhraseNode(string Field, string Text, int Slop, TextOptions Options) : QueryNode;

/// <summary><c>multi_match</c> of type <c>best_fields</c>, <c>most_fields</c> or <c>phrase</c>.</summary>
internal sealed record MultiMatchNode(
    IReadOnlyList<string> Fields,
    string Text,
    string Type,
    float? TieBreaker,
    int Slop,
    TextOptions Options) : QueryNode;

/// <summary>
/// <c>query_string</c> and <c>simple_query_string</c>: the text, the fields it searches by
/// default (none: every searchable field, leniently), and how it combines terms.
/// </summary>
internal sealed record QueryStringNode(
    bool Simple,
    string Query,
    string? DefaultField,
    IReadOnlyList<string> Fields,
    TextOptions Options,
    int PhraseSlop,
    string? TimeZone,
    bool AllowLeadingWildcard,
    float? TieBreaker,
    string Type,
    int SimpleFlags) : QueryNode;
