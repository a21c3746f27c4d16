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

/// <summary>
/// One segment's keyword values of a field: the ordinals of each document's distinct values
/// (for a flattened key, only the ordinals of that key's <c>key\0value</c> terms), numbered from
/// 0 as slots. Uses the single-valued form of the doc values when the segment has it.
/// </summary>
internal sealed class KeywordValues
{
    private readonly SortedSetDocValues? _set;
    private readonly SortedDocValues? _single;
    private readonly long _low;
    private readonly int _prefixBytes;
    private readonly BytesRef _scratch = new();
    private long _pendingSingle = -1;

    private KeywordValues(SortedSetDocValues set, long low, long high, int prefixBytes)
    {
        _set = set;
        _single = DocValues.UnwrapSingleton(set);
        _low = low;
        Count = high - low;
        _prefixBytes = prefixBytes;
    }

    /// <summary>Number of slots (distinct values in the segment).</summary>
    public long Count { get; }

    public static KeywordValues? Open(AtomicReader reader, FieldSource source)
    {
        var set = source.DocValuesField is null ? null : reader.GetSortedSetDocValues(source.DocValuesField);
        if (set is null)
        {
            return null;
        }

        long low = 0, high = set.ValueCount;
        var prefixBytes = 0;
        if (source.KeyPrefix is { } key)
        {
            var prefix = new BytesRef(key);
            prefixBytes = prefix.Length;
            low = InsertionPoint(set.LookupTerm(prefix));
            var end = BytesRef.DeepCopyOf(prefix);
            end.Bytes[end.Offset + end.Length - 1] = 1; // "key\u0001": just past every "key\0…"
            high = InsertionPoint(set.LookupTerm(end));
        }

        return new KeywordValues(set, low, high, prefixBytes);
    }

    public void SetDocument(int doc)
    {
        if (_single is not null)
        {
            _pendingSingle = _single.GetOrd(doc);
            return;
        }

        _set!.SetDocument(doc);
    }

    /// <summary>The next value's slot of the current document, or -1.</summary>
    public long NextSlot()
    {
        while (true)
        {
            long ord;
            if (_single is not null)
            {
                ord = _pendingSingle;
                _pendingSingle = -1;
            }
            else
            {
                ord = _set!.NextOrd();
            }

            if (ord < 0)
            {
                return -1;
            }

            var slot = ord - _low;
            if (slot >= 0 && slot < Count)
            {
                return slot;
            }
        }
    }

    public string Term(long slot)
    {
        if (_single is not null)
        {
            _single.LookupOrd((int)(slot + _low), _scratch);
        }
        else
        {
            _set!.LookupOrd(slot + _low, _scratch);
        }

        return System.Text.Encoding.UTF8.GetString(_scratch.Bytes, _scratch.Offset + _prefixBytes, _scratch.Length - _prefixBytes);
    }

    private static long InsertionPoint(long lookup) => lookup >= 0 ? lookup : -lookup - 1;
}

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
