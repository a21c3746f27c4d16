using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// The searchable fields of the jobs index and their types, taken from <see cref="JobsMapping"/>
/// (the one mapping both stores use). Resolves a query's field name: a mapped field, a key path
/// inside a flattened field (<c>inputs.region.lat</c>), an object (<c>error</c>), or unmapped.
/// </summary>
internal sealed class FieldCatalog
{
    /// <summary>Internal fields: the document id, its JSON and the names of the fields it has.</summary>
    public const string IdField = "_id";
    public const string SourceField = "_source";
    public const string FieldNamesField = "_field_names";

    private readonly Dictionary<string, MappedField> _fields;
    private readonly HashSet<string> _objects;

    private FieldCatalog(Dictionary<string, MappedField> fields, HashSet<string> objects)
    {
        _fields = fields;
        _objects = objects;
    }

    public static FieldCatalog Jobs { get; } = FromMapping(JobsMapping.FieldTypes(), JobsMapping.Load());

    public IEnumerable<MappedField> All => _fields.Values;

    public IReadOnlyCollection<string> ObjectPaths => _objects;

    public static FieldCatalog FromMapping(IReadOnlyDictionary<string, string> types, JsonObject mapping)
    {
        var fields = new Dictionary<string, MappedField>(StringComparer.Ordinal);
        foreach (var (name, type) in types)
        {
            fields[name] = new MappedField(name, type, KindOf(name, type), IgnoreAbove(mapping, name));
        }

        // "message.keyword" is a sub-field of the field "message"; "error.type" is a field of the object "error".
        var objects = new HashSet<string>(StringComparer.Ordinal);
        var subFields = new Dictionary<string, List<MappedField>>(StringComparer.Ordinal);
        foreach (var name in types.Keys)
        {
            var dot = name.LastIndexOf('.');
            if (dot > 0 && fields.ContainsKey(name[..dot]))
            {
                (subFields.TryGetValue(name[..dot], out var list) ? list : subFields[name[..dot]] = []).Add(fields[name]);
                continue;
            }

            for (; dot > 0; dot = name.LastIndexOf('.', dot - 1))
            {
                objects.Add(name[..dot]);
            }
        }

        foreach (var (parent, list) in subFields)
        {
            fields[parent] = fields[parent] with { SubFields = list };
        }

        return new FieldCatalog(fields, objects);
    }

    public MappedField? Get(string name) => _fields.GetValueOrDefault(name);

    /// <summary>
    /// What a field name in a query means. <paramref name="flattenedKey"/> is set for a key path
    /// inside a flattened field (<c>inputs.region.lat</c> -> <c>inputs</c>, key <c>region.lat</c>).
    /// </summary>
    public MappedField? Resolve(string name, out string? flattenedKey)
    {
        flattenedKey = null;
        if (_fields.TryGetValue(name, out var field))
        {
            return field;
        }

        var dot = name.IndexOf('.');
        while (dot > 0)
        {
            if (_fields.TryGetValue(name[..dot], out var root) && root.Kind == FieldKind.Flattened && dot < name.Length - 1)
            {
                flattenedKey = name[(dot + 1)..];
                return root;
            }

            dot = name.IndexOf('.', dot + 1);
        }

        return null;
    }

    public bool IsObject(string name) => _objects.Contains(name);

    private static FieldKind KindOf(string name, string type) => type switch
    {
        "keyword" or "constant_keyword" => FieldKind.Keyword,
        "text" or "match_only_text" => FieldKind.Text,
        "integer" or "long" or "short" or "byte" => FieldKind.Integer,
        "double" or "float" or "half_float" or "scaled_float" => FieldKind.Double,
        "date" => FieldKind.Date,
        "boolean" => FieldKind.Boolean,
        "flattened" or "flat_object" => FieldKind.Flattened,
        _ => throw new NotSupportedException($"The embedded store cannot index field [{name}] of type [{type}]."),
    };

    private static int? IgnoreAbove(JsonObject mapping, string name)
    {
        JsonNode? node = mapping;
        var parts = name.Split('.');
        for (var i = 0; i < parts.Length && node is not null; i++)
        {
            node = node["properties"]?[parts[i]] ?? (i > 0 ? node["fields"]?[parts[i]] : null);
        }

        return node?["ignore_above"]?.GetValue<int>();
    }
}
