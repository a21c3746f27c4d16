using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Search.Queries;

namespace Jobs.Search.Aggregations;

/// <summary>
/// Parses <c>aggs</c> / <c>aggregations</c> into <see cref="AggregationSpec"/>s, sub-aggregations
/// to any depth. Types and options no builder here runs become <see cref="OpaqueAggregationSpec"/>s.
/// </summary>
internal static class AggregationParser
{
    private static readonly HashSet<string> Metrics = ["value_count", "cardinality", "min", "max", "avg", "sum", "stats"];

    private static readonly HashSet<string> Known =
    [
        "histogram", "extended_stats", "percentiles", "percentile_ranks", "range", "date_range", "missing",
        "top_hits", "significant_terms", "significant_text", "rare_terms", "multi_terms", "composite", "nested", "reverse_nested",
        "sampler", "diversified_sampler", "auto_date_histogram", "geo_bounds", "geo_centroid", "geohash_grid", "geotile_grid",
        "weighted_avg", "median_absolute_deviation", "bucket_sort", "cumulative_sum", "derivative", "avg_bucket", "sum_bucket",
        "max_bucket", "min_bucket", "stats_bucket", "extended_stats_bucket", "percentiles_bucket", "moving_fn", "serial_diff",
        "adjacency_matrix", "boxplot", "string_stats", "top_metrics", "t_test",
        "variable_width_histogram", "ip_range", "ip_prefix", "matrix_stats", "categorize_text", "frequent_item_sets",
        "random_sampler", "rate", "time_series", "inference", "parent", "children",
    ];

    /// <summary>Aggregations that are scripts.</summary>
    private static readonly HashSet<string> ScriptTypes = ["scripted_metric", "bucket_script", "bucket_selector"];

    public static IReadOnlyList<AggregationSpec> Parse(JsonNode? node)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonObject aggs)
        {
            throw SearchException.Parsing("[aggs] must be an object");
        }

        var specs = new List<AggregationSpec>();
        foreach (var (name, value) in aggs)
        {
            specs.Add(ParseOne(name, value));
        }

        return specs;
    }

    private static AggregationSpec ParseOne(string name, JsonNode? value)
    {
        if (value is not JsonObject definition)
        {
            throw SearchException.Parsing($"Expected [START_OBJECT] under [{name}], but got a [{JsonScalars.Kind(value)}] in [{name}]");
        }

        string? type = null;
        JsonNode? body = null;
        JsonNode? meta = null;
        IReadOnlyList<AggregationSpec> subs = [];
        foreach (var (key, item) in definition)
        {
            switch (key)
            {
                case "aggs" or "aggregations":
                    subs = Parse(item);
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
                    body = item;
                    break;
            }
        }

        if (type is null)
        {
            throw SearchException.Parsing($"Missing definition for aggregation [{name}]");
        }

        if (type != "filter" && body is not JsonObject)
        {
            throw SearchException.Parsing($"Expected [START_OBJECT] under [{type}], but got a [{JsonScalars.Kind(body)}] in [{name}]");
        }

        AggregationSpec spec;
        try
        {
            spec = ParseType(name, type, body);
        }
        catch (SearchException e) when (e.UnsupportedConstruct is { } construct)
        {
            spec = new OpaqueAggregationSpec(name, type, construct, body);
        }

        if (spec is MetricSpec && subs.Count > 0)
        {
            throw new SearchException("aggregation_initialization_exception", $"Aggregator [{name}] of type [{type}] cannot accept sub-aggregations");
        }

        return spec with { Meta = meta, SubAggregations = subs };
    }

    private static AggregationSpec ParseType(string name, string type, JsonNode? body)
    {
        if (ScriptTypes.Contains(type) || (body is JsonObject values && values.ContainsKey("script") && (type is "terms" or "date_histogram" || Metrics.Contains(type) || Known.Contains(type))))
        {
            // A script aggregation, or a values-source aggregation reading a script instead of a field.
            return new ScriptAggregationSpec(name, type);
        }

        return type switch
        {
            "terms" => TermsParser.Parse(name, (JsonObject)body!),
            "date_histogram" => DateHistogramParser.Parse(name, (JsonObject)body!),
            "filter" => new FilterSpec(name, DslQueryParser.Parse(body)),
            "filters" => ParseFilters(name, (JsonObject)body!),
            _ when Metrics.Contains(type) => ParseMetric(name, type, (JsonObject)body!),
            _ when Known.Contains(type) => throw SearchException.Unsupported($"{type} aggregation"),
            // Elasticsearch's global has no parameters; anything written there would reach the
            // Elasticsearch store unchecked, so it is refused here as Elasticsearch refuses it.
            "global" => ((JsonObject)body!).FirstOrDefault() is { Key: { } key }
                ? throw SearchException.Parsing($"[global] unknown field [{key}]")
                : new GlobalSpec(name),
            _ => throw SearchException.Parsing($"Unknown aggregation type [{type}] did you mean [terms]?"),
        };
    }

    private static MetricSpec ParseMetric(string name, string type, JsonObject body)
    {
        string? field = null, format = null;
        JsonValue? missing = null;
        foreach (var (key, item) in body)
        {
            switch (key)
            {
                case "field": field = JsonScalars.String(item, key); break;
                case "missing": missing = item is JsonValue v && JsonScalars.IsScalar(v) ? v : throw SearchException.Parsing($"[{type}] missing must be a value"); break;
                case "format": format = JsonScalars.String(item, key); break;
                case "precision_threshold" when type == "cardinality": break; // exact below 40,000: counts here are exact
                case "execution_hint" when type == "cardinality": break;
                case "script" or "value_type": throw SearchException.Unsupported($"{type}.{key}");
                default: throw SearchException.Parsing($"[{type}] unknown field [{key}]");
            }
        }

        return field is null
            ? throw SearchException.IllegalArgument($"Required one of fields [field, script], but none were specified. (aggregation [{name}])")
            : new MetricSpec(name, type, field, missing, format);
    }

    private static FiltersSpec ParseFilters(string name, JsonObject body)
    {
        List<(string, QueryNode)> filters = [];
        var named = true;
        bool? keyed = null, otherBucket = null;
        string? otherKey = null;
        foreach (var (key, item) in body)
        {
            switch (key)
            {
                case "filters" when item is JsonObject map:
                    filters = [.. map.Select(p => (p.Key, DslQueryParser.Parse(p.Value)))];
                    break;
                case "filters" when item is JsonArray list:
                    named = false;
                    filters = [.. list.Select((q, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), DslQueryParser.Parse(q)))];
                    break;
                case "other_bucket": otherBucket = JsonScalars.Bool(item, key); break;
                case "other_bucket_key": otherKey = JsonScalars.String(item, key); break;
                case "keyed": keyed = JsonScalars.Bool(item, key); break;
                default: throw SearchException.Parsing($"[filters] unknown field [{key}]");
            }
        }

        if (named)
        {
            filters.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1)); // Elasticsearch orders named filters by name
        }

        var other = otherBucket == true || (otherBucket is null && otherKey is not null) ? otherKey ?? "_other_" : null;
        return new FiltersSpec(name, filters, named, keyed ?? named, other);
    }

    /// <summary>A bucket <c>order</c>: one <c>{"path": "asc|desc"}</c> or a list; ties are broken by key, ascending.</summary>
    public static IReadOnlyList<BucketOrder> ParseOrder(JsonNode? node, string aggregation)
    {
        var orders = new List<BucketOrder>();
        IEnumerable<JsonNode?> items = node is JsonArray array ? array : new[] { node };
        foreach (var item in items)
        {
            if (item is not JsonObject obj)
            {
                throw SearchException.Parsing($"[{aggregation}] order must be an object or an array of objects");
            }

            foreach (var (key, value) in obj)
            {
                var descending = JsonScalars.String(value, "order")?.ToLowerInvariant() switch
                {
                    "asc" => false,
                    "desc" => true,
                    var other => throw SearchException.Parsing($"Unknown order direction [{other}]"),
                };
                orders.Add(new BucketOrder(key, descending));
            }
        }

        if (!orders.Any(o => o.ByKey))
        {
            orders.Add(new BucketOrder("_key", false));
        }

        return orders;
    }
}
