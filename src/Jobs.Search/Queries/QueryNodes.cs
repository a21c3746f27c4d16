using System.Text.Json.Nodes;

namespace Jobs.Search.Queries;

/// <summary>
/// The parsed form of an Elasticsearch query: what <see cref="DslQueryParser"/> produces, the
/// search policy walks and each store's builder translates. New query types are a record here, a
/// case in a parser and one in each builder.
/// </summary>
public abstract record QueryNode
{
    public float? Boost { get; init; }

    /// <summary>
    /// The query as the caller wrote it (<c>{"term":{…}}</c>): what the writer sends on, so a
    /// store receives the request unchanged. Null for a node the policy made.
    /// </summary>
    public JsonObject? Json { get; init; }
}

/// <summary>
/// A valid query that the model does not parse further (Lucene.Net's word): a query type, an
/// option or a value form that no builder here runs (<c>fuzzy</c>, <c>match</c> with
/// <c>fuzziness</c>, …). <see cref="QueryNode.Json"/> keeps it verbatim for a store that runs it;
/// <paramref name="Construct"/> names what the embedded store refuses.
/// </summary>
public sealed record OpaqueQueryNode(string Name, string Construct) : QueryNode;

/// <summary><c>script</c> and <c>script_score</c>: queries that run a script.</summary>
public sealed record ScriptQueryNode(string Name) : QueryNode;

/// <summary><c>{"terms":{"field":{"index":…,"id":…,"path":…}}}</c>: takes its values from a document of an index.</summary>
public sealed record TermsLookupNode(string Field, string? Index) : QueryNode;

public sealed record MatchAllNode : QueryNode;

public sealed record MatchNoneNode : QueryNode;

/// <summary>A scalar query value (string, number or boolean) as written.</summary>
public sealed record TermNode(string Field, JsonValue Value, bool CaseInsensitive = false) : QueryNode;

public sealed record TermsNode(string Field, IReadOnlyList<JsonValue> Values) : QueryNode;

public sealed record IdsNode(IReadOnlyList<string> Ids) : QueryNode;

public sealed record ExistsNode(string Field) : QueryNode;

public sealed record PrefixNode(string Field, string Value, bool CaseInsensitive) : QueryNode;

/// <summary><c>*</c> matches any characters, <c>?</c> one character.</summary>
public sealed record WildcardNode(string Field, string Pattern, bool CaseInsensitive) : QueryNode;

public sealed record RangeBound(JsonValue Value, bool Inclusive);

public sealed record RangeNode(string Field, RangeBound? Lower, RangeBound? Upper, string? Format, string? TimeZone) : QueryNode;

public sealed record BoolNode(
    IReadOnlyList<QueryNode> Must,
    IReadOnlyList<QueryNode> Filter,
    IReadOnlyList<QueryNode> Should,
    IReadOnlyList<QueryNode> MustNot,
    string? MinimumShouldMatch) : QueryNode;

public sealed record ConstantScoreNode(QueryNode Filter) : QueryNode;

public sealed record DisMaxNode(IReadOnlyList<QueryNode> Queries, float TieBreaker) : QueryNode;

/// <summary>How analysed text becomes a query: the operator between terms, minimum_should_match, leniency.</summary>
public sealed record TextOptions(bool And, string? MinimumShouldMatch, bool? Lenient, bool ZeroTermsAll);

public sealed record MatchNode(string Field, string Text, TextOptions Options) : QueryNode;

public sealed record MatchPhraseNode(string Field, string Text, int Slop, TextOptions Options) : QueryNode;

/// <summary><c>multi_match</c> of type <c>best_fields</c>, <c>most_fields</c> or <c>phrase</c>.</summary>
public sealed record MultiMatchNode(
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
public sealed record QueryStringNode(
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
