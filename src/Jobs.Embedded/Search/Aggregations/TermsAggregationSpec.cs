using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Search.Dsl;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>One sort key of a terms aggregation's buckets.</summary>
internal sealed record BucketOrder(bool ByKey, bool Descending);

/// <summary>A <c>terms</c> aggregation: field, size, order, min_doc_count, missing.</summary>
internal sealed record TermsAggregationSpec(
    string Name,
    string Field,
    int Size,
    IReadOnlyList<BucketOrder> Order,
    long MinDocCount,
    JsonValue? Missing,
    JsonNode? Meta)
{
    public static readonly IReadOnlyList<BucketOrder> DefaultOrder = [new(false, true), new(true, false)];

    public static TermsAggregationSpec Parse(string name, JsonObject body, JsonNode? meta)
    {
        string? field = null;
        var size = 10;
        IReadOnlyList<BucketOrder> order = DefaultOrder;
        long minDocCount = 1;
        JsonValue? missing = null;
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "field":
                    field = JsonScalars.String(value, key);
                    break;
                case "size":
                    size = JsonScalars.Int(value, key) ?? 10;
                    if (size <= 0)
                    {
                        throw SearchException.IllegalArgument($"[size] must be greater than 0. Found [{size}] in [{name}]");
                    }

                    break;
                case "shard_size" or "execution_hint" or "collect_mode" or "value_type" or "show_term_doc_count_error" or "shard_min_doc_count":
                    break; // one shard: these change nothing
                case "min_doc_count":
                    minDocCount = JsonScalars.Int(value, key) ?? 1;
                    if (minDocCount < 0)
                    {
                        throw SearchException.IllegalArgument($"[min_doc_count] must be greater than or equal to 0. Found [{minDocCount}] in [{name}]");
                    }

                    break;
                case "order":
                    order = ParseOrder(value);
                    break;
                case "missing":
                    missing = value is JsonValue mv && JsonScalars.IsScalar(mv) ? mv : throw SearchException.Parsing("[terms] missing must be a value");
                    break;
                case "include" or "exclude" or "script" or "format":
                    throw SearchException.Unsupported($"terms.{key}");
                default:
                    throw SearchException.Parsing($"[terms] unknown field [{key}]");
            }
        }

        if (field is null)
        {
            throw SearchException.IllegalArgument($"Required one of fields [field, script], but none were specified. (aggregation [{name}])");
        }

        return new TermsAggregationSpec(name, field, size, order, minDocCount, missing, meta);
    }

    private static IReadOnlyList<BucketOrder> ParseOrder(JsonNode? node)
    {
        var orders = new List<BucketOrder>();
        IEnumerable<JsonNode?> items = node is JsonArray array ? array : new[] { node };
        foreach (var item in items)
        {
            if (item is not JsonObject obj)
            {
                throw SearchException.Parsing("[terms] order must be an object or an array of objects");
            }

            foreach (var (key, value) in obj)
            {
                var direction = JsonScalars.String(value, "order") switch
                {
                    "asc" => false,
                    "desc" => true,
                    var other => throw SearchException.IllegalArgument($"Unknown order direction [{other}]"),
                };
                orders.Add(key switch
                {
                    "_count" => new BucketOrder(false, direction),
                    "_key" or "_term" => new BucketOrder(true, direction),
                    _ => throw SearchException.Unsupported("terms.order by a sub-aggregation"),
                });
            }
        }

        if (!orders.Any(o => o.ByKey))
        {
            orders.Add(new BucketOrder(true, false)); // Elasticsearch breaks count ties by key, ascending
        }

        return orders;
    }
}
