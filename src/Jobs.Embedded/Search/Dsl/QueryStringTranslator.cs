using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// <c>query_string</c> (Query DSL > Query string query): the Lucene syntax (<c>field:value</c>,
/// <c>AND</c>/<c>OR</c>/<c>NOT</c>, <c>+</c>/<c>-</c>, groups, <c>"phrases"~slop</c>, <c>*</c> and
/// <c>?</c> wildcards, <c>[a TO b]</c> and <c>&gt;=10</c> ranges, <c>^boost</c>,
/// <c>_exists_:field</c>) parsed by Lucene's classic parser, each clause built the way
/// Elasticsearch's parser builds it for the field's type and combined over several fields as
/// <c>best_fields</c> (<c>dis_max</c>). Without <c>default_field</c> or <c>fields</c> every
/// searchable field is searched, leniently: a value a field cannot take (text for a date) makes
/// that field's clause match nothing. Fuzzy terms (<c>~</c>) and regular expressions are refused.
/// </summary>
internal sealed class QueryStringTranslator : QueryParser
{
    /// <summary>The parser's default field when the request lists <c>fields</c>: stands for that list.</summary>
    private const string ListedFields = "\u0001fields";

    private readonly MultiFieldQueries _multi;
    private readonly QueryStringNode _node;
    private readonly IReadOnlyList<WeightedField> _defaultFields;
    private readonly bool _lenient;
    private readonly float _tieBreaker;

    public QueryStringTranslator(MultiFieldQueries multi, QueryStringNode node)
        : base(JobIndex.Version, node.Fields.Count > 0 ? ListedFields : node.DefaultField ?? "*", JobIndex.NewAnalyzer())
    {
        _multi = multi;
        _node = node;
        _defaultFields = FieldResolver.Resolve(multi.Text.Fields.Catalog, node.Fields.Count > 0 ? node.Fields : [node.DefaultField ?? "*"]);
        _lenient = node.Options.Lenient ?? (node.Fields.Count > 0 ? FieldResolver.IsAll(node.Fields) : (node.DefaultField ?? "*") == "*");
        _tieBreaker = node.TieBreaker ?? (node.Type == "most_fields" ? 1f : 0f);
        DefaultOperator = node.Options.And ? AND_OPERATOR : OR_OPERATOR;
        AllowLeadingWildcard = node.AllowLeadingWildcard;
        LowercaseExpandedTerms = false;
        PhraseSlop = node.PhraseSlop;
        AutoGeneratePhraseQueries = false;
    }

    public Query Translate()
    {
        Query? query;
        try
        {
            query = Parse(_node.Query);
        }
        catch (ParseException e) when (e.InnerException is BooleanQuery.TooManyClausesException)
        {
            throw QueryLimits.TooManyClauses(BooleanQuery.MaxClauseCount);
        }
        catch (ParseException e) when (e.InnerException is SearchException limit)
        {
            throw limit; // a pattern past its limit, raised while the parser built the query
        }
        catch (ParseException e)
        {
            throw QueryErrors.FailedToParse(_node.Query, e.Message);
        }

        query = FixNegative(query);
        return query is null ? FieldQueries.MatchNone() : BoolQueries.ApplyMinimumShouldMatch(query, _node.Options.MinimumShouldMatch);
    }

    protected override Query GetFieldQuery(string field, string queryText, bool quoted)
    {
        if (field == "_exists_")
        {
            return _multi.Text.Fields.Exists(queryText);
        }

        if (quoted)
        {
            return GetFieldQuery(field, queryText, PhraseSlop);
        }

        if (field != ListedFields && queryText.Length > 1 && queryText[0] is '>' or '<')
        {
            // field:>=10, field:<2026-01-01: a range open on one side.
            var inclusive = queryText.Length > 2 && queryText[1] == '=';
            var bound = queryText[(inclusive ? 2 : 1)..];
            return queryText[0] == '>'
                ? GetRangeQuery(field, bound, null!, inclusive, true)
                : GetRangeQuery(field, null!, bound, true, inclusive);
        }

        var fields = Fields(field);
        if (fields.Count == 0)
        {
            return FieldQueries.MatchNone();
        }

        if (fields.Count == 1 && _node.TimeZone is not null && _multi.Text.Fields.Catalog.Get(fields[0].Name) is { Kind: FieldKind.Date })
        {
            return GetRangeQuery(field, queryText, queryText, true, true);
        }

        return _multi.Match(fields, _tieBreaker, queryText, _node.Options.And, null, _lenient) ?? null!;
    }

    protected override Query GetFieldQuery(string field, string queryText, int slop)
    {
        if (field == "_exists_")
        {
            return _multi.Text.Fields.Exists(queryText);
        }

        var fields = Fields(field);
        return fields.Count == 0 ? FieldQueries.MatchNone() : _multi.Phrase(fields, _tieBreaker, queryText, slop, _lenient) ?? null!;
    }

    protected override Query GetRangeQuery(string field, string part1, string part2, bool startInclusive, bool endInclusive)
    {
        var lower = part1 is null or "*" ? null : new RangeBound(JsonValue.Create(part1), startInclusive);
        var upper = part2 is null or "*" ? null : new RangeBound(JsonValue.Create(part2), endInclusive);
        var range = new RangeNode(field, lower, upper, null, _node.TimeZone);
        return _multi.Range(Fields(field), _tieBreaker, range, _lenient) ?? FieldQueries.MatchNone();
    }

    protected override Query GetPrefixQuery(string field, string termStr) =>
        _multi.Prefix(Fields(field), _tieBreaker, termStr, _lenient) ?? FieldQueries.MatchNone();

    protected override Query GetWildcardQuery(string field, string termStr)
    {
        if (termStr == "*" && field == "*")
        {
            return new MatchAllDocsQuery();
        }

        if (!AllowLeadingWildcard && termStr.Length > 0 && termStr[0] is '*' or '?')
        {
            throw new ParseException("'*' or '?' not allowed as first character in WildcardQuery");
        }

        return _multi.Wildcard(Fields(field), _tieBreaker, termStr, _lenient) ?? FieldQueries.MatchNone();
    }

    protected override Query GetFuzzyQuery(string field, string termStr, float minSimilarity) =>
        throw SearchException.Unsupported("query_string fuzzy term (~)");

    protected override Query GetRegexpQuery(string field, string termStr) =>
        throw SearchException.Unsupported("query_string regular expression (/…/)");

    protected override Query GetBooleanQuery(IList<BooleanClause> clauses, bool disableCoord) =>
        FixNegative(base.GetBooleanQuery(clauses, disableCoord))!;

    /// <summary>A boolean of only negated clauses matches everything else, scoring 0 (Elasticsearch adds a match-all filter).</summary>
    private static Query? FixNegative(Query? query)
    {
        if (query is BooleanQuery boolean && boolean.Clauses.Count > 0 && boolean.Clauses.All(c => c.Occur == Occur.MUST_NOT))
        {
            boolean.Add(BoolQueries.Zero(new MatchAllDocsQuery()), Occur.MUST);
        }

        return query;
    }

    private IReadOnlyList<WeightedField> Fields(string field) =>
        field == ListedFields || field == (_node.DefaultField ?? "*")
            ? _defaultFields
            : FieldResolver.Resolve(_multi.Text.Fields.Catalog, [field]);
}
