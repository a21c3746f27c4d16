using Lucene.Net.Search;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// The <c>bool</c> query as Elasticsearch 8 runs it (Query DSL > Boolean query): must and should
/// clauses add their scores, filter and must_not clauses only restrict (a filter-only or
/// must_not-only bool scores 0, an empty bool matches everything with score 1), should clauses
/// are optional once there is a must or a filter clause unless <c>minimum_should_match</c> says
/// otherwise. Filters are applied around the scoring part so that they can never change the
/// scores, and so the order, of what the scoring clauses match.
/// </summary>
internal static class BoolQueries
{
    public static Query Build(IReadOnlyList<Query> must, IReadOnlyList<Query> filter, IReadOnlyList<Query> should, IReadOnlyList<Query> mustNot, string? minimumShouldMatch)
    {
        if (must.Count + filter.Count + should.Count + mustNot.Count == 0)
        {
            return new MatchAllDocsQuery();
        }

        var minimum = minimumShouldMatch is null ? 0 : MinimumShouldMatchSpec.Calculate(should.Count, minimumShouldMatch);
        if (minimum > should.Count)
        {
            return FieldQueries.MatchNone(); // more optional clauses asked for than there are
        }

        var scoring = new BooleanQuery();
        foreach (var clause in must)
        {
            scoring.Add(clause, Occur.MUST);
        }

        foreach (var clause in should)
        {
            scoring.Add(clause, Occur.SHOULD);
        }

        foreach (var clause in mustNot)
        {
            scoring.Add(clause, Occur.MUST_NOT);
        }

        if (minimum > 0)
        {
            scoring.MinimumNumberShouldMatch = minimum;
        }

        if (must.Count == 0 && (filter.Count > 0 || should.Count == 0))
        {
            // Nothing required in the scoring part: every document may match it, scoring 0 (the
            // should clauses, if any, stay optional and add their scores).
            scoring.Add(Zero(new MatchAllDocsQuery()), Occur.MUST);
        }

        if (filter.Count == 0)
        {
            return scoring;
        }

        var filters = new BooleanQuery();
        foreach (var clause in filter)
        {
            filters.Add(clause, Occur.MUST);
        }

        return should.Count == 0 && must.Count == 0
            ? Zero(mustNot.Count == 0 ? filters : And(filters, scoring))
            : new FilteredQuery(scoring, new QueryWrapperFilter(filters));
    }

    /// <summary>Applies <c>minimum_should_match</c> to a boolean's optional clauses (nothing else has any).</summary>
    public static Query ApplyMinimumShouldMatch(Query query, string? spec)
    {
        if (spec is null || query is not BooleanQuery boolean)
        {
            return query;
        }

        var optional = boolean.Clauses.Count(c => c.Occur == Occur.SHOULD);
        var minimum = MinimumShouldMatchSpec.Calculate(optional, spec);
        if (minimum > optional)
        {
            return FieldQueries.MatchNone();
        }

        if (minimum > 0)
        {
            boolean.MinimumNumberShouldMatch = minimum;
        }

        return boolean;
    }

    /// <summary>Matches what the query matches, scoring 0 (filter context).</summary>
    public static Query Zero(Query query) => new ConstantScoreQuery(query) { Boost = 0 };

    private static BooleanQuery And(Query a, Query b) => new() { { a, Occur.MUST }, { b, Occur.MUST } };
}
