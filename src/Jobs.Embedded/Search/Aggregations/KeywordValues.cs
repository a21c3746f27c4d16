using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search.Aggregations;

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

    /// <summary>The single-valued doc values, when every document of the segment has at most one value (fast path).</summary>
    public SortedDocValues? Single => _single;

    /// <summary>The ordinal of slot 0 (slot = ordinal − <see cref="Low"/>).</summary>
    public long Low => _low;

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

    /// <summary>The value of a slot as bytes (a flattened key's prefix removed), copied.</summary>
    public BytesRef TermBytes(long slot)
    {
        Lookup(slot);
        return new BytesRef(_scratch.Bytes.AsSpan(_scratch.Offset + _prefixBytes, _scratch.Length - _prefixBytes).ToArray());
    }

    public string Term(long slot)
    {
        Lookup(slot);
        return System.Text.Encoding.UTF8.GetString(_scratch.Bytes, _scratch.Offset + _prefixBytes, _scratch.Length - _prefixBytes);
    }

    private void Lookup(long slot)
    {
        if (_single is not null)
        {
            _single.LookupOrd((int)(slot + _low), _scratch);
        }
        else
        {
            _set!.LookupOrd(slot + _low, _scratch);
        }
    }

    private static long InsertionPoint(long lookup) => lookup >= 0 ? lookup : -lookup - 1;
}
