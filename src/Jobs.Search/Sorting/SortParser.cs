using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Search.Json;

namespace Jobs.Search.Sorting;

/// <summary>Parses Elasticsearch's <c>sort</c>: a field name, an object of fields, or a list of either.</summary>
internal static class SortParser
{
    public static SortSpec Parse(JsonNode? node)
    {
        if (node is null)
        {
            return SortSpec.Relevance;
        }

        var keys = new List<SortKey>();
        IEnumerable<JsonNode?> items = node is JsonArray array ? array : new[] { node };
        foreach (var item in items)
        {
            switch (item)
            {
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    keys.Add(Key(v.GetValue<string>(), null));
                    break;
                case JsonObject obj:
                    foreach (var (field, options) in obj)
                    {
                        keys.Add(Key(field, options) with { Options = options });
                    }

                    break;
                default:
                    throw SearchException.Parsing($"[sort] malformed: expected a field name or an object, found {JsonScalars.Kind(item)}");
            }
        }

        return new SortSpec(keys);
    }

    private static SortKey Key(string name, JsonNode? options)
    {
        switch (name)
        {
            case "_script":
                return new ScriptSortKey();
            case "_geo_distance" or "_geoDistance":
                return new OpaqueSortKey(name);
        }

        string? order = null, missing = null, mode = null, unmappedType = null, unsupported = null;
        switch (options)
        {
            case null:
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                order = v.GetValue<string>();
                break;
            case JsonObject obj:
                foreach (var (option, value) in obj)
                {
                    switch (option)
                    {
                        case "order": order = JsonScalars.String(value, option); break;
                        case "missing": missing = value is JsonValue mv && JsonScalars.IsScalar(mv) ? JsonScalars.Text(mv) : throw SearchException.Parsing("[sort] missing must be a value"); break;
                        case "mode": mode = JsonScalars.String(value, option); break;
                        case "unmapped_type": unmappedType = JsonScalars.String(value, option); break;
                        case "numeric_type" or "format": unsupported ??= $"sort.{option}"; break;
                        case "nested" or "nested_path" or "nested_filter": unsupported ??= "sort.nested"; break;
                        default: throw SearchException.Parsing($"[field_sort] unknown field [{option}]");
                    }
                }

                break;
            default:
                throw SearchException.Parsing($"[sort] malformed options for [{name}]");
        }

        return new FieldSortKey(name, order, missing, mode, unmappedType, unsupported);
    }
}
