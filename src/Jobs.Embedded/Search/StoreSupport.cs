using Jobs.Core.Search;

namespace Jobs.Embedded.Search;

/// <summary>
/// What of a parsed request this store does not run: the parts the model kept opaque (and
/// scripts, lookups, <c>global</c>), refused by name before any work is done, as Elasticsearch
/// would refuse an unknown construct while parsing (<c>parsing_exception</c>, never a shard failure).
/// </summary>
internal static class StoreSupport
{
    public static void Check(SearchRequest request)
    {
        Check(request.Query);
        if (request.Options.FirstOrDefault() is { } option)
        {
            throw SearchException.Unsupported(option.Key);
        }

        foreach (var spec in request.Aggregations)
        {
            Check(spec);
        }

        foreach (var key in request.Sort.Keys)
        {
            switch (key)
            {
                case ScriptSortKey or OpaqueSortKey:
                    throw SearchException.Unsupported($"{key.Name} sort");
                case FieldSortKey { Unsupported: { } construct }:
                    throw SearchException.Unsupported(construct);
            }
        }
    }

    public static void Check(CountRequest request)
    {
        Check(request.Query);
        if (request.Options.FirstOrDefault() is { } option)
        {
            throw SearchException.Unsupported(option.Key);
        }
    }

    public static void Check(QueryNode node)
    {
        switch (node)
        {
            case OpaqueQueryNode opaque:
                throw SearchException.Unsupported(opaque.Construct);
            case ScriptQueryNode script:
                throw SearchException.Unsupported(script.Name);
            case TermsLookupNode:
                throw SearchException.Unsupported("terms lookup");
            case BoolNode b:
                foreach (var clause in b.Must.Concat(b.Filter).Concat(b.Should).Concat(b.MustNot))
                {
                    Check(clause);
                }

                break;
            case ConstantScoreNode c:
                Check(c.Filter);
                break;
            case DisMaxNode d:
                foreach (var clause in d.Queries)
                {
                    Check(clause);
                }

                break;
        }
    }

    private static void Check(AggregationSpec spec)
    {
        switch (spec)
        {
            case OpaqueAggregationSpec opaque:
                throw SearchException.Unsupported(opaque.Construct);
            case GlobalSpec:
                throw SearchException.Unsupported("global aggregation");
            case ScriptAggregationSpec { Type: "scripted_metric" or "bucket_script" or "bucket_selector" } script:
                throw SearchException.Unsupported($"{script.Type} aggregation");
            case ScriptAggregationSpec script:
                throw SearchException.Unsupported($"{script.Type}.script");
            case FilterSpec filter:
                Check(filter.Filter);
                break;
            case FiltersSpec filters:
                foreach (var (_, filter) in filters.Filters)
                {
                    Check(filter);
                }

                break;
        }

        foreach (var sub in spec.SubAggregations)
        {
            Check(sub);
        }
    }
}
