namespace Jobs.Embedded.Search.Aggregations;

/// <summary>Builds the aggregator of each parsed aggregation (and, through them, of their sub-aggregations).</summary>
internal static class AggregatorFactory
{
    public static Aggregator Create(AggregationSpec spec, AggregationContext context) => spec switch
    {
        TermsSpec terms => new TermsAggregator(terms, context),
        DateHistogramSpec histogram => new DateHistogramAggregator(histogram, context),
        FilterSpec filter => new FilterAggregator(filter, [("", filter.Filter)], null, context),
        FiltersSpec filters => new FilterAggregator(filters, filters.Filters, filters.OtherBucketKey, context),
        MetricSpec { Type: "value_count" } metric => new ValueCountAggregator(metric, context),
        MetricSpec { Type: "cardinality" } metric => new CardinalityAggregator(metric, context),
        MetricSpec metric => new StatsAggregator(metric, context),
        _ => throw Jobs.Core.Search.SearchException.Unsupported(spec.GetType().Name),
    };
}
