using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Embedded.Search;

/// <summary>
/// <c>GET /jobs/_mapping</c> as Elasticsearch reports it: keyed by the index, the mapping as
/// installed with every level of <c>properties</c> (and multi-field <c>fields</c>) in name order.
/// </summary>
internal static class MappingView
{
    public static JsonObject Reported() =>
        new() { [JobSearchService.IndexName] = new JsonObject { ["mappings"] = Sorted(JobsMapping.Load()) } };

    private static JsonObject Sorted(JsonObject node)
    {
        var result = new JsonObject();
        foreach (var (key, value) in node.ToList())
        {
            node.Remove(key);
            result[key] = key is "properties" or "fields" && value is JsonObject children
                ? new JsonObject(children.ToList().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
                {
                    children.Remove(p.Key);
                    return new KeyValuePair<string, JsonNode?>(p.Key, p.Value is JsonObject o ? Sorted(o) : p.Value);
                }))
                : value;
        }

        return result;
    }
}
