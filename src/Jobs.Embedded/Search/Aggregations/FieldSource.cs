using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>How an aggregation reads a field's values.</summary>
internal enum SourceKind
{
    /// <summary>Not in the mapping: no document has a value.</summary>
    Unmapped,

    /// <summary>Keyword, boolean, a flattened root or key: sorted-set ordinals.</summary>
    Keyword,

    /// <summary>Integer: numeric doc values.</summary>
    Long,

    /// <summary>Date: epoch milliseconds in numeric doc values.</summary>
    Date,

    /// <summary>Double: the bits of the double in numeric doc values.</summary>
    Double,
}

/// <summary>
/// The doc values behind a field named in an aggregation: which Lucene field, how to read it,
/// and for a flattened key the <c>key\0</c> prefix of its values. Text fields have no doc values
/// (Elasticsearch's "Fielddata is disabled" error).
/// </summary>
internal sealed record FieldSource(string Name, SourceKind Kind, string? DocValuesField, string? KeyPrefix, string EsType)
{
    public bool IsNumeric => Kind is SourceKind.Long or SourceKind.Date or SourceKind.Double;

    public static FieldSource Resolve(FieldCatalog catalog, string name)
    {
        var field = catalog.Resolve(name, out var key);
        if (field is null)
        {
            return new FieldSource(name, SourceKind.Unmapped, null, null, "unmapped");
        }

        return field.Kind switch
        {
            FieldKind.Text => throw SearchException.IllegalArgument(SortPlan.FielddataDisabled(field.Name)),
            FieldKind.Integer => new FieldSource(name, SourceKind.Long, field.Name, null, field.EsType),
            FieldKind.Date => new FieldSource(name, SourceKind.Date, field.Name, null, field.EsType),
            FieldKind.Double => new FieldSource(name, SourceKind.Double, field.Name, null, field.EsType),
            _ when key is not null => new FieldSource(name, SourceKind.Keyword, field.KeyedName, key + "\0", field.EsType),
            _ => new FieldSource(name, SourceKind.Keyword, field.Name, null, field.EsType),
        };
    }

    /// <summary>Elasticsearch's refusal of a numeric metric on a non-numeric field.</summary>
    public SearchException NotSupportedFor(string aggregation) =>
        SearchException.IllegalArgument($"Field [{Name}] of type [{EsType}] is not supported for aggregation [{aggregation}]");
}
