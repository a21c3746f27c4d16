using Jobs.Core.Search;
using Jobs.Search.Limits;
using Lucene.Net.Queries;
using Lucene.Net.Search;

namespace Jobs.Embedded.Search;

/// <summary>
/// The clause limit of <see cref="SearchLimits.MaxClauseCount"/> on a built Lucene query,
/// as Elasticsearch enforces <c>indices.query.bool.max_clause_count</c>: one boolean query with
/// more clauses is <c>too_many_clauses</c>, more clauses in the whole tree (a query string
/// expanded over every field counts each field) is <c>too_many_nested_clauses</c>.
/// </summary>
internal static class QueryLimits
{
    private static readonly Lock LuceneLimitLock = new();

    public static SearchException TooManyClauses(int max) => new("too_many_clauses", $"maxClauseCount is set to {max}");

    public static SearchException TooManyNestedClauses(int max) =>
        new("too_many_nested_clauses", $"Query contains too many nested clauses; maxClauseCount is set to {max}");

    /// <summary>
    /// Lucene.Net's own limit is one static for the process; it is raised to the largest limit
    /// configured (never lowered), and each store checks its own with <see cref="CheckClauses"/>.
    /// </summary>
    public static SearchLimits Allowing(SearchLimits limits)
    {
        lock (LuceneLimitLock)
        {
            if (BooleanQuery.MaxClauseCount < limits.MaxClauseCount)
            {
                BooleanQuery.MaxClauseCount = limits.MaxClauseCount;
            }
        }

        return limits;
    }

    public static void CheckClauses(Query query, int max)
    {
        var count = 0;
        Visit(query);

        void Visit(Query? node)
        {
            switch (node)
            {
                case BooleanQuery b:
                    if (b.Clauses.Count > max)
                    {
                        throw TooManyClauses(max);
                    }

                    foreach (var clause in b.Clauses)
                    {
                        Count();
                        Visit(clause.Query);
                    }

                    break;
                case DisjunctionMaxQuery d:
                    foreach (var disjunct in d.Disjuncts)
                    {
                        Count();
                        Visit(disjunct);
                    }

                    break;
                case ConstantScoreQuery c:
                    Visit(c.Query);
                    VisitFilter(c.Filter);
                    break;
                case FilteredQuery f:
                    Visit(f.Query);
                    VisitFilter(f.Filter);
                    break;
            }
        }

        void VisitFilter(Filter? filter)
        {
            switch (filter)
            {
                case QueryWrapperFilter wrapper:
                    Visit(wrapper.Query);
                    break;
                case BooleanFilter b:
                    foreach (var clause in b.Clauses)
                    {
                        Count();
                        VisitFilter(clause.Filter);
                    }

                    break;
            }
        }

        void Count()
        {
            if (++count > max)
            {
                throw TooManyNestedClauses(max);
            }
        }
    }
}
