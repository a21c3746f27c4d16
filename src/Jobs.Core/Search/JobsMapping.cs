using System.Text.Json.Nodes;

namespace Jobs.Core.Search;

/// <summary>
/// The explicit mapping of the jobs index (docs/architecture.md, "The job document"), read from
/// <c>infra/elasticsearch/jobs-mapping.json</c>: installed by the Elasticsearch adapter, and the
/// field types of the embedded store.
/// </summary>
public static class JobsMapping
{
    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = typeof(JobsMapping).Assembly.GetManifestResourceStream("Jobs.Core.jobs-mapping.json")
            ?? throw new InvalidOperationException("The jobs mapping resource is missing from Jobs.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>A fresh copy of the mapping (<c>{"dynamic":"strict","properties":{…}}</c>).</summary>
    public static JsonObject Load() => JsonNode.Parse(Text.Value)!.AsObject();

    /// <summary>
    /// Field name -> type for every searchable field, sub-fields included by dotted path
    /// (<c>message.keyword</c>, <c>error.type</c>). Objects with <c>enabled: false</c> are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FieldTypes()
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        Collect(Load()["properties"]!.AsObject(), "", types);
        return types;
    }

    private static void Collect(JsonObject properties, string prefix, Dictionary<string, string> types)
    {
        foreach (var (name, node) in properties)
        {
            var field = node!.AsObject();
            var path = prefix + name;
            if (field["enabled"]?.GetValue<bool>() == false || field["index"]?.GetValue<bool>() == false)
            {
                continue;
            }

            if (field["properties"] is JsonObject children)
            {
                Collect(children, path + ".", types);
                continue;
            }

            types[path] = field["type"]!.GetValue<string>();
            if (field["fields"] is JsonObject subFields)
            {
                foreach (var (sub, subNode) in subFields)
                {
                    types[$"{path}.{sub}"] = subNode!["type"]!.GetValue<string>();
                }
            }
        }
    }
}
