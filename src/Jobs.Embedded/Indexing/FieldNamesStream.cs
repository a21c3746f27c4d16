using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// The <c>_field_names</c> terms of one job document as one field instance whose token stream
/// yields every name: the same terms and postings as one <see cref="StringField"/> per name
/// (documents only, no norms, no positions; FieldInfos do not record tokenisation), but Lucene
/// sets up a field's inversion (attribute lookups, per-field state) once instead of about twenty
/// times per document, which was a measurable share of indexing every update (issue 17). Reused
/// by one builder: <see cref="Set"/> the names, index the document, then the next.
/// </summary>
internal sealed class FieldNamesStream : TokenStream
{
    private static readonly FieldType Type = NewType();

    private readonly List<string> _names = [];
    private readonly ICharTermAttribute _term;
    private int _next;

    public FieldNamesStream()
    {
        _term = AddAttribute<ICharTermAttribute>();
        Field = new Field(FieldCatalog.FieldNamesField, this, Type);
    }

    /// <summary>The field to add to the document (after <see cref="Set"/>).</summary>
    public Field Field { get; }

    public void Set(IEnumerable<string> names)
    {
        _names.Clear();
        _names.AddRange(names);
        _next = 0;
    }

    public override bool IncrementToken()
    {
        if (_next >= _names.Count)
        {
            return false;
        }

        ClearAttributes();
        _term.SetEmpty().Append(_names[_next++]);
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        _next = 0;
    }

    private static FieldType NewType()
    {
        var type = new FieldType(StringField.TYPE_NOT_STORED) { IsTokenized = true };
        type.Freeze();
        return type;
    }
}
