using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>
/// Parses <c>aggs</c> / <c>aggregations</c>. This store runs <c>terms</c>; the other types of
/// DESIGN.md section 8 are refused by name until they are built.
/// </summary>
internal static class AggregationParser
{
    private static readonly HashSet<string> Known =
    [
        "date_histogram", "histogram", "filter", "filters", "value_count", "cardinality", "min", "max", "avg", "sum",
        "stats", "extended_stats", "percentiles", "percentile_ranks", "range", "date_range", "missing", "global",
        "top_hits", "significant_terms", "rare_terms", "multi_terms", "composite", "nested", "reverse_nested",
        "sampler", "auto_date_histogram", "geo_bounds", "geohash_grid", "weighted_avg", "median_absolute_deviation",
        "bucket_sort", "cumulative_sum", "derivative", "avg_bucket", "sum_bucket", "max_bucket", "min_bucket", "stats_bucket",
        "adjacency_matrix", "boxplot", "string_stats", "top_metrics", "t_test", "variable_width_histogram", "ip_range",
    ];

    public static IReadOnlyList<TermsAggregationSpec> Parse(JsonNode? node)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonObject aggs)
        {
            throw SearchException.Parsing("[aggs] must be an object");
        }

        var specs = new List<TermsAggregationSpec>();
        foreach (var (name, value) in aggs)
        {
            if (value is not JsonObject definition)
            {
                throw SearchException.Parsing($"Expected [START_OBJECT] under [{name}], but got a [{Dsl.JsonScalars.Kind(value)}] in [{name}]");
            }

            string? type = null;
            JsonObject? body = null;
            JsonNode? meta = null;
            foreach (var (key, item) in definition)
            {
                switch (key)
                {
                    case "aggs" or "aggregations":
                        if (item is JsonObject { Count: > 0 })
                        {
                            throw SearchException.Unsupported("sub-aggregations");
                        }

                        break;
                    case "meta":
                        meta = item?.DeepClone();
                        break;
                    default:
                        if (type is not null)
                        {
                            throw SearchException.Parsing($"Found two aggregation type definitions in [{name}]: [{type}] and [{key}]");
                        }

                        type = key;
                        body = item as JsonObject ?? throw SearchException.Parsing($"Expected [START_OBJECT] under [{key}], but got a [{Dsl.JsonScalars.Kind(item)}] in [{name}]");
                        break;
                }
            }

            switch (type)
            {
                case null:
                    throw SearchException.Parsing($"Missing definition for aggregation [{name}]");
                case "terms":
                    specs.Add(TermsAggregationSpec.Parse(name, body!, meta));
                    break;
                case var t when Known.Contains(t):
                    throw SearchException.Unsupported(t);
                default:
                    throw SearchException.Parsing($"Unknown aggregation type [{type}]");
            }
        }

        return specs;
    }
}
