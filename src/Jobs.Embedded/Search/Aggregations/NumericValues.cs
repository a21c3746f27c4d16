using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>One segment's numeric values of a field (one per document).</summary>
internal sealed class NumericValues
{
    private readonly NumericDocValues _values;
    private readonly IBits _hasValue;
    private readonly bool _double;

    private NumericValues(NumericDocValues values, IBits hasValue, bool isDouble)
    {
        _values = values;
        _hasValue = hasValue;
        _double = isDouble;
    }

    public static NumericValues? Open(AtomicReader reader, FieldSource source)
    {
        if (source.DocValuesField is null || reader.GetNumericDocValues(source.DocValuesField) is not { } values)
        {
            return null;
        }

        return new NumericValues(values, reader.GetDocsWithField(source.DocValuesField), source.Kind == SourceKind.Double);
    }

    public bool TryGetRaw(int doc, out long raw)
    {
        raw = 0;
        if (!_hasValue.Get(doc))
        {
            return false;
        }

        raw = _values.Get(doc);
        return true;
    }

    public bool TryGet(int doc, out double value)
    {
        value = 0;
        if (!TryGetRaw(doc, out var raw))
        {
            return false;
        }

        value = _double ? BitConverter.Int64BitsToDouble(raw) : raw;
        return true;
    }
}
