using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// <c>typed_keys=true</c>: each aggregation of the answer is renamed <c>type#name</c>, the
/// internal type name Elasticsearch would have used, so that typed clients know how to read it.
/// The type comes from the request (<c>{"by_status":{"terms":…}}</c>), never from the answer's
/// shape; only <c>terms</c> depends on the field: <c>sterms</c> for keyword and text, <c>lterms</c>
/// for whole numbers, dates and booleans (Elasticsearch keeps those as longs), <c>dterms</c> for
/// floating point. Sub-aggregations are renamed inside their parent (single-bucket) or inside
/// every bucket (multi-bucket, list or keyed).
/// </summary>
internal static class TypedKeys
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["percentiles"] = "tdigest_percentiles",
        ["percentile_ranks"] = "tdigest_percentile_ranks",
        ["significant_terms"] = "sigsterms",
    };

    /// <summary>Renames the aggregations of <paramref name="response"/> in place.</summary>
    public static void Apply(JsonObject request, JsonObject response, FieldTypes fields)
    {
        if ((request["aggs"] ?? request["aggregations"]) is JsonObject aggs && response["aggregations"] is JsonObject results)
        {
            Rename(aggs, results, fields);
        }
    }

    /// <summary>The fields of the request's <c>terms</c> aggregations, at any depth: what the names depend on.</summary>
    public static List<string> TermsFields(JsonObject request)
    {
        var fields = new List<string>();
        Collect((request["aggs"] ?? request["aggregations"]) as JsonObject, fields);
        return fields;
    }

    private static void Collect(JsonObject? aggs, List<string> fields)
    {
        foreach (var (_, definition) in aggs ?? new JsonObject())
        {
            if (definition is not JsonObject spec)
            {
                continue;
            }

            if ((spec["terms"] as JsonObject)?["field"] is JsonValue f && f.GetValueKind() == JsonValueKind.String)
            {
                fields.Add(f.GetValue<string>());
            }

            Collect((spec["aggs"] ?? spec["aggregations"]) as JsonObject, fields);
        }
    }

    private static void Rename(JsonObject requested, JsonObject container, FieldTypes fields)
    {
        foreach (var (name, definition) in requested)
        {
            if (definition is not JsonObject spec || container[name] is not JsonObject result)
            {
                continue;
            }

            var type = spec.Select(p => p.Key).FirstOrDefault(k => k is not ("aggs" or "aggregations" or "meta"));
            if (type is null)
            {
                continue;
            }

            if ((spec["aggs"] ?? spec["aggregations"]) is JsonObject subs)
            {
                foreach (var bucket in Buckets(result))
                {
                    Rename(subs, bucket, fields);
                }
            }

            container.Remove(name);
            container[$"{TypeName(type, spec[type], result, fields)}#{name}"] = result;
        }
    }

    /// <summary>Where sub-aggregations sit: each bucket of a multi-bucket result, else the result itself.</summary>
    private static IEnumerable<JsonObject> Buckets(JsonObject result) => result["buckets"] switch
    {
        JsonArray list => list.OfType<JsonObject>(),
        JsonObject keyed => keyed.Select(p => p.Value).OfType<JsonObject>(),
        _ => [result],
    };

    private static string TypeName(string type, JsonNode? body, JsonObject result, FieldTypes fields)
    {
        if (type != "terms")
        {
            return Names.GetValueOrDefault(type, type);
        }

        var field = body?["field"] is JsonValue f && f.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null;
        return fields.Of(field) switch
        {
            "long" or "integer" or "short" or "byte" or "unsigned_long" or "date" or "date_nanos" or "boolean" => "lterms",
            "double" or "float" or "half_float" or "scaled_float" => "dterms",
            null => KeyKind(result),
            _ => "sterms",
        };
    }

    /// <summary>A field the mapping does not know (dynamic, or runtime): judged by the bucket keys.</summary>
    private static string KeyKind(JsonObject result)
    {
        var key = (result["buckets"] as JsonArray)?.OfType<JsonObject>().Select(b => b["key"]).FirstOrDefault();
        if (key is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return v.TryGetValue<long>(out _) ? "lterms" : "dterms";
        }

        return "sterms";
    }
}
