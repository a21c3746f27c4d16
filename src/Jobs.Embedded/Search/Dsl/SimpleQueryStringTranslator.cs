using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Lucene.Net.QueryParsers.Simple;
using Lucene.Net.Search;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// <c>simple_query_string</c> (Query DSL > Simple query string query): Lucene's simple syntax
/// (<c>+</c> and, <c>|</c> or, <c>-</c> not, <c>"phrase"~slop</c>, <c>prefix*</c>, parentheses,
/// escapes; <c>flags</c> switch operators off) that never fails on syntax. Each term searches
/// every listed field (default: every searchable field, leniently) and the fields' scores add up
/// (<c>most_fields</c>), phrases take the best field, as Elasticsearch's parser does. Fuzzy terms
/// (<c>term~1</c>) are refused.
/// </summary>
internal sealed class SimpleQueryStringTranslator : SimpleQueryParser
{
    private readonly MultiFieldQueries _multi;
    private readonly QueryStringNode _node;
    private readonly IReadOnlyList<WeightedField> _fields;
    private readonly bool _lenient;

    public SimpleQueryStringTranslator(MultiFieldQueries multi, QueryStringNode node)
        : base(JobIndex.NewAnalyzer(), new Dictionary<string, float> { ["*"] = 1f }, (Operator)node.SimpleFlags)
    {
        _multi = multi;
        _node = node;
        _fields = FieldResolver.Resolve(multi.Text.Fields.Catalog, node.Fields.Count > 0 ? node.Fields : ["*"]);
        _lenient = node.Options.Lenient ?? FieldResolver.IsAll(node.Fields);
        DefaultOperator = node.Options.And ? Occur.MUST : Occur.SHOULD;
    }

    public Query Translate()
    {
        if (_fields.Count == 0)
        {
            return FieldQueries.MatchNone();
        }

        var query = Parse(_node.Query);
        return query is null ? FieldQueries.MatchNone() : BoolQueries.ApplyMinimumShouldMatch(query, _node.Options.MinimumShouldMatch);
    }

    protected override Query NewDefaultQuery(string text) =>
        _multi.Match(_fields, 1f, text, _node.Options.And, null, _lenient)!;

    protected override Query NewPhraseQuery(string text, int slop) =>
        _multi.Phrase(_fields, 0f, text, slop, _lenient)!;

    protected override Query NewPrefixQuery(string text) =>
        _multi.Prefix(_fields, 1f, text, _lenient)!;

    protected override Query NewFuzzyQuery(string text, int fuzziness) =>
        throw SearchException.Unsupported("simple_query_string fuzzy term (~)");
}
