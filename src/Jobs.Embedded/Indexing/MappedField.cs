namespace Jobs.Embedded.Indexing;

/// <summary>A searchable field of the mapping: its dotted name, how it is indexed, and its sub-fields (<c>message.keyword</c>).</summary>
internal sealed record MappedField(string Name, string EsType, FieldKind Kind, int? IgnoreAbove)
{
    public IReadOnlyList<MappedField> SubFields { get; init; } = [];

    /// <summary>For a flattened field: the Lucene field holding <c>key\0value</c> terms and doc values.</summary>
    public string KeyedName => Name + "._keyed";

    public bool IsNumeric => Kind is FieldKind.Integer or FieldKind.Double or FieldKind.Date;
}
