using System.Text.Json.Nodes;

namespace Jobs.Api.Endpoints.Es;

/// <summary>Field types read from the index mapping (<c>properties</c>, object paths and multi-fields).</summary>
internal sealed class FieldTypes(JsonObject? mappings)
{
    /// <summary>The mapped type of a dotted field path (<c>status</c>, <c>inputs.x</c>, <c>labels.keyword</c>), or null.</summary>
    public string? Of(string? field)
    {
        if (field is null || mappings is null)
        {
            return null;
        }

        JsonObject? current = mappings;
        JsonObject? node = null;
        foreach (var name in field.Split('.'))
        {
            node = (current?["properties"] as JsonObject)?[name] as JsonObject
                ?? (node?["fields"] as JsonObject)?[name] as JsonObject;
            if (node is null)
            {
                return null;
            }

            current = node;
        }

        return node?["type"]?.GetValue<string>() ?? (node?["properties"] is not null ? "object" : null);
    }
}
