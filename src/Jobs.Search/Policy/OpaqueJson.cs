using System.Text.Json.Nodes;

namespace Jobs.Search.Policy;

/// <summary>
/// The policy inside a part of the request the model keeps verbatim (an <see cref="Queries.OpaqueQueryNode"/>,
/// an opaque aggregation, sort or option). The model cannot tell a field name from a parameter
/// there, so the check is by Elasticsearch's parameter names: any key that names a script, an
/// index or a wrapped query is refused. Parsed parts never come here; a field called
/// <c>script</c> in a <c>term</c> query is an ordinary field.
/// </summary>
internal static class OpaqueJson
{
    private static readonly HashSet<string> ScriptKeys =
    [
        "script", "script_score", "script_fields", "runtime_mappings", "scripted_metric", "bucket_script",
        "bucket_selector", "minimum_should_match_script", "_script",
    ];

    private static readonly HashSet<string> IndexKeys = ["index", "_index", "indices"];

    public static void Check(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var here = path.Length == 0 ? key : $"{path}.{key}";
                    if (ScriptKeys.Contains(key))
                    {
                        throw PolicyErrors.Script(key, here);
                    }

                    if (IndexKeys.Contains(key))
                    {
                        throw PolicyErrors.OtherIndex(here);
                    }

                    if (key == "wrapper")
                    {
                        throw PolicyErrors.Wrapper(here);
                    }

                    Check(value, here);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Check(item, path);
                }

                break;
        }
    }
}
