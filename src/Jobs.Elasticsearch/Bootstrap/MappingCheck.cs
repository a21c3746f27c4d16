using System.Text.Json.Nodes;

namespace Jobs.Elasticsearch.Bootstrap;

/// <summary>
/// Whether an existing index can hold the store's documents: every field of the expected
/// mapping must exist with the same type (sub-fields too), and fields kept out of the index
/// (<c>enabled: false</c>) must be so there. Extra fields and other parameters are fine. A field
/// that is only missing (an index created by an older version, before the field existed) can be
/// added in place: <see cref="Additions"/> gives the body of that <c>PUT _mapping</c>.
/// </summary>
internal static class MappingCheck
{
    /// <summary>
    /// The expected fields the existing mapping lacks, as a <c>PUT /{index}/_mapping</c> body
    /// (<c>{"properties":{…}}</c>, missing sub-properties under their existing parent objects), or
    /// null when nothing is missing. Adding fields is the one mapping change Elasticsearch allows
    /// on an existing index; fields that differ are left to <see cref="Differences"/>.
    /// </summary>
    public static JsonObject? Additions(JsonObject expected, JsonObject? actual)
    {
        var missing = Missing(expected["properties"] as JsonObject, actual?["properties"] as JsonObject);
        return missing is null ? null : new JsonObject { ["properties"] = missing };
    }

    private static JsonObject? Missing(JsonObject? expected, JsonObject? actual)
    {
        JsonObject? missing = null;
        foreach (var (name, node) in expected ?? [])
        {
            var want = node!.AsObject();
            JsonNode? add = null;
            if (actual?[name] is not JsonObject have)
            {
                add = want.DeepClone();
            }
            else if (TypeOf(want) == "object" && TypeOf(have) == "object" && want["properties"] is JsonObject children
                && Missing(children, have["properties"] as JsonObject) is { } inner)
            {
                add = new JsonObject { ["properties"] = inner };
            }

            if (add is not null)
            {
                (missing ??= [])[name] = add;
            }
        }

        return missing;
    }

    public static IReadOnlyList<string> Differences(JsonObject expected, JsonObject? actual)
    {
        var problems = new List<string>();
        Compare(expected["properties"] as JsonObject, actual?["properties"] as JsonObject, "", problems);
        return problems;
    }

    private static void Compare(JsonObject? expected, JsonObject? actual, string prefix, List<string> problems)
    {
        foreach (var (name, node) in expected ?? [])
        {
            var path = prefix + name;
            var want = node!.AsObject();
            if (actual?[name] is not JsonObject have)
            {
                problems.Add($"[{path}] is missing");
                continue;
            }

            var (wantType, haveType) = (TypeOf(want), TypeOf(have));
            if (wantType != haveType)
            {
                problems.Add($"[{path}] is {haveType}, expected {wantType}");
                continue;
            }

            if (IsDisabled(want) && !IsDisabled(have))
            {
                problems.Add($"[{path}] is indexed, expected \"enabled\": false");
            }

            if (want["properties"] is JsonObject children)
            {
                Compare(children, have["properties"] as JsonObject, path + ".", problems);
            }

            if (want["fields"] is JsonObject fields)
            {
                Compare(fields, have["fields"] as JsonObject, path + ".", problems);
            }
        }
    }

    private static string TypeOf(JsonObject field) => field["type"]?.GetValue<string>() ?? "object";

    private static bool IsDisabled(JsonObject field) => field["enabled"] is JsonValue v && v.TryGetValue<bool>(out var enabled) && !enabled;
}
