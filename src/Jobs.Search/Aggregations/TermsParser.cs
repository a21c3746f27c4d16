using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Search.Queries;

namespace Jobs.Search.Aggregations;

/// <summary>The <c>terms</c> aggregation's parameters: field, size, shard_size, order, min_doc_count, missing.</summary>
internal static class TermsParser
{
    public static TermsSpec Parse(string name, JsonObject body)
    {
        string? field = null;
        var size = 10;
        int? shardSize = null;
        IReadOnlyList<BucketOrder> order = [new("_count", true), new("_key", false)];
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
                case "shard_size":
                    shardSize = JsonScalars.Int(value, key);
                    break;
                case "execution_hint" or "collect_mode" or "value_type" or "shard_min_doc_count":
                    break; // how one shard collects: the answer is the same
                case "show_term_doc_count_error":
                    if (JsonScalars.Bool(value, key) == true)
                    {
                        throw SearchException.Unsupported("terms.show_term_doc_count_error");
                    }

                    break;
                case "min_doc_count":
                    minDocCount = JsonScalars.Int(value, key) ?? 1;
                    if (minDocCount < 0)
                    {
                        throw SearchException.IllegalArgument($"[min_doc_count] must be greater than or equal to 0. Found [{minDocCount}] in [{name}]");
                    }

                    break;
                case "order":
                    order = AggregationParser.ParseOrder(value, "terms");
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

        return new TermsSpec(name, field, size, shardSize, order, minDocCount, missing);
    }
}
