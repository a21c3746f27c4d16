using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Jobs.Search.Limits;
using Lucene.Net.Search;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// Translates <see cref="QueryNode"/>s into Lucene queries over the index that
/// <see cref="JobDocumentBuilder"/> writes, field by field as the mapping types them:
/// term-level queries through <see cref="FieldQueries"/>, analysed ones through
/// <see cref="TextQueries"/>, query strings through <see cref="QueryStringTranslator"/>. Like
/// Elasticsearch, a query on an unmapped field matches nothing.
/// </summary>
internal sealed class LuceneQueryFactory
{
    private readonly FieldQueries _fields;
    private readonly MultiFieldQueries _multi;
    private readonly SearchLimits _limits;

    public LuceneQueryFactory(FieldCatalog catalog, long nowMillis, SearchLimits limits)
    {
        _limits = limits;
        _fields = new FieldQueries(catalog, nowMillis, limits);
        _multi = new MultiFieldQueries(new TextQueries(_fields));
    }

    /// <summary>The Lucene query of a parsed one, within the clause limit.</summary>
    public Query Build(QueryNode node)
    {
        Query query;
        try
        {
            query = BuildNode(node);
        }
        catch (BooleanQuery.TooManyClausesException)
        {
            throw QueryLimits.TooManyClauses(_limits.MaxClauseCount);
        }

        QueryLimits.CheckClauses(query, _limits.MaxClauseCount);
        return query;
    }

    private Query BuildNode(QueryNode node)
    {
        var query = node switch
        {
            MatchAllNode => new MatchAllDocsQuery(),
            MatchNoneNode => FieldQueries.MatchNone(),
            TermNode term => _fields.Term(term.Field, term.Value, term.CaseInsensitive),
            TermsNode terms => _fields.Terms(terms.Field, terms.Values),
            IdsNode ids => _fields.Terms(FieldCatalog.IdField, [.. ids.Ids.Select(i => System.Text.Json.Nodes.JsonValue.Create(i))]),
            ExistsNode exists => _fields.Exists(exists.Field),
            RangeNode range => _fields.Range(range),
            PrefixNode prefix => _fields.Prefix(prefix.Field, prefix.Value, prefix.CaseInsensitive),
            WildcardNode wildcard => _fields.Wildcard(wildcard.Field, wildcard.Pattern, wildcard.CaseInsensitive),
            BoolNode b => BoolQueries.Build(
                [.. b.Must.Select(BuildNode)], [.. b.Filter.Select(BuildNode)], [.. b.Should.Select(BuildNode)], [.. b.MustNot.Select(BuildNode)], b.MinimumShouldMatch),
            ConstantScoreNode constant => new ConstantScoreQuery(BuildNode(constant.Filter)),
            DisMaxNode max => DisMax(max),
            MatchNode match => ZeroTerms(_multi.Text.Match(match.Field, match.Text, match.Options.And, match.Options.MinimumShouldMatch, match.Options.Lenient ?? false), match.Options),
            MatchPhraseNode phrase => ZeroTerms(_multi.Text.Phrase(phrase.Field, phrase.Text, phrase.Slop, phrase.Options.Lenient ?? false), phrase.Options),
            MultiMatchNode multi => MultiMatch(multi),
            QueryStringNode { Simple: false } text => new QueryStringTranslator(_multi, text).Translate(),
            QueryStringNode text => new SimpleQueryStringTranslator(_multi, text).Translate(),
            OpaqueQueryNode opaque => throw SearchException.Unsupported(opaque.Construct),
            ScriptQueryNode script => throw SearchException.Unsupported(script.Name),
            TermsLookupNode => throw SearchException.Unsupported("terms lookup"),
            _ => throw SearchException.Unsupported(node.GetType().Name),
        };

        if (node.Boost is { } boost)
        {
            query.Boost *= boost;
        }

        return query;
    }

    private Query DisMax(DisMaxNode node)
    {
        var max = new DisjunctionMaxQuery(node.TieBreaker);
        foreach (var clause in node.Queries)
        {
            max.Add(BuildNode(clause));
        }

        return node.Queries.Count == 0 ? FieldQueries.MatchNone() : max;
    }

    private Query MultiMatch(MultiMatchNode node)
    {
        var fields = FieldResolver.Resolve(_fields.Catalog, node.Fields.Count == 0 ? ["*"] : node.Fields);
        var lenient = node.Options.Lenient ?? FieldResolver.IsAll(node.Fields);
        var query = node.Type switch
        {
            "phrase" => _multi.Phrase(fields, node.TieBreaker ?? 0f, node.Text, node.Slop, lenient),
            "most_fields" => _multi.Match(fields, node.TieBreaker ?? 1f, node.Text, node.Options.And, node.Options.MinimumShouldMatch, lenient),
            _ => _multi.Match(fields, node.TieBreaker ?? 0f, node.Text, node.Options.And, node.Options.MinimumShouldMatch, lenient),
        };
        return ZeroTerms(query, node.Options);
    }

    private static Query ZeroTerms(Query? query, TextOptions options) =>
        query ?? (options.ZeroTermsAll ? new MatchAllDocsQuery() : FieldQueries.MatchNone());
}
