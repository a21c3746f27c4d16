using Jobs.Embedded.Search.Aggregations;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search;

/// <summary>
/// Sorts by a keyword-like field as Elasticsearch does: a document's lowest value (<c>mode</c>
/// <c>min</c>, ascending default) or highest (<c>max</c>, descending default), compared as UTF-8
/// bytes; a flattened key sorts by that key's values only; a document without a value sorts
/// first, last, or as if it had the <c>missing</c> value. Sort values come out as the value
/// (without the key).
/// </summary>
internal sealed class KeywordSortSource(FieldSource source, bool max, BytesRef? missingValue, bool missingSortsLow) : FieldComparerSource
{
    public override FieldComparer NewComparer(string fieldname, int numHits, int sortPos, bool reversed) =>
        new Comparer(source, max, missingValue, missingSortsLow, numHits);

    private sealed class Comparer(FieldSource source, bool max, BytesRef? missingValue, bool missingSortsLow, int numHits) : FieldComparer<BytesRef>
    {
        private readonly BytesRef?[] _values = new BytesRef?[numHits];
        private BytesRef? _bottom;
        private BytesRef? _top;
        private KeywordValues? _current;

        public override BytesRef this[int slot] => _values[slot]!;

        public override int Compare(int slot1, int slot2) => CompareValues(_values[slot1]!, _values[slot2]!);

        public override int CompareValues(BytesRef first, BytesRef second) => (first, second) switch
        {
            (null, null) => 0,
            (null, _) => missingSortsLow ? -1 : 1,
            (_, null) => missingSortsLow ? 1 : -1,
            _ => first.CompareTo(second),
        };

        public override void SetBottom(int slot) => _bottom = _values[slot];

        public override void SetTopValue(BytesRef value) => _top = value;

        public override int CompareBottom(int doc) => CompareValues(_bottom!, Value(doc)!);

        public override int CompareTop(int doc) => CompareValues(_top!, Value(doc)!);

        public override void Copy(int slot, int doc) => _values[slot] = Value(doc);

        public override FieldComparer SetNextReader(AtomicReaderContext context)
        {
            _current = KeywordValues.Open(context.AtomicReader, source);
            return this;
        }

        private BytesRef? Value(int doc)
        {
            if (_current is null)
            {
                return missingValue;
            }

            _current.SetDocument(doc);
            long chosen = -1, slot;
            while ((slot = _current.NextSlot()) >= 0)
            {
                if (chosen < 0 || max)
                {
                    chosen = slot; // slots come in term order: the first is the lowest, the last the highest
                }
            }

            return chosen < 0 ? missingValue : _current.TermBytes(chosen);
        }
    }
}
