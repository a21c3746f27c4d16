using System.Globalization;
using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Jobs.Embedded.Search.Dsl;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>
/// Runs a <c>terms</c> aggregation as a collector over doc values: per segment, keyword ordinals
/// are counted in an array and turned into terms once; numbers and dates are counted by value.
/// Each document counts once per distinct value; documents without a value count for
/// <c>missing</c> when it is set.
/// </summary>
internal sealed class TermsCollector : ICollector
{
    private readonly TermsAggregationSpec _spec;
    private readonly FieldKind _kind;
    private readonly string? _docValuesField;
    private readonly BytesRef? _keyPrefix;
    private readonly Dictionary<string, long> _terms = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long> _longs = [];
    private readonly Dictionary<double, long> _doubles = [];
    private long _missing;

    private SortedSetDocValues? _ords;
    private long _ordLow;
    private int[] _segmentCounts = [];
    private NumericDocValues? _numbers;
    private IBits? _hasValue;

    public TermsCollector(TermsAggregationSpec spec, FieldCatalog catalog)
    {
        _spec = spec;
        var field = catalog.Resolve(spec.Field, out var key);
        if (field is null)
        {
            _kind = FieldKind.Keyword; // unmapped: no values, every document is missing
            return;
        }

        if (field.Kind == FieldKind.Text)
        {
            throw SearchException.IllegalArgument(SortPlan.FielddataDisabled(field.Name));
        }

        _kind = field.Kind == FieldKind.Flattened || field.Kind == FieldKind.Boolean ? FieldKind.Keyword : field.Kind;
        _docValuesField = key is null ? field.Name : field.KeyedName;
        _keyPrefix = key is null ? null : new BytesRef(key + "\0");
        if (spec.MinDocCount == 0 && _kind != FieldKind.Keyword)
        {
            throw SearchException.Unsupported("terms.min_doc_count 0 on a numeric or date field");
        }
    }

    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer)
    {
    }

    public void SetNextReader(AtomicReaderContext context)
    {
        FlushSegment();
        _ords = null;
        _numbers = null;
        if (_docValuesField is null)
        {
            return;
        }

        var reader = context.AtomicReader;
        if (_kind == FieldKind.Keyword)
        {
            _ords = reader.GetSortedSetDocValues(_docValuesField);
            if (_ords is null)
            {
                return;
            }

            long low = 0, high = _ords.ValueCount;
            if (_keyPrefix is not null)
            {
                low = InsertionPoint(_ords.LookupTerm(_keyPrefix));
                var end = BytesRef.DeepCopyOf(_keyPrefix);
                end.Bytes[end.Offset + end.Length - 1] = 1; // "key\u0001": just past every "key\0…"
                high = InsertionPoint(_ords.LookupTerm(end));
            }

            _ordLow = low;
            _segmentCounts = new int[high - low];
        }
        else
        {
            _numbers = reader.GetNumericDocValues(_docValuesField);
            _hasValue = reader.GetDocsWithField(_docValuesField);
        }
    }

    public void Collect(int doc)
    {
        if (_ords is not null)
        {
            _ords.SetDocument(doc);
            var any = false;
            long ord;
            while ((ord = _ords.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
            {
                var slot = ord - _ordLow;
                if (slot >= 0 && slot < _segmentCounts.Length)
                {
                    _segmentCounts[slot]++;
                    any = true;
                }
            }

            if (!any)
            {
                _missing++;
            }

            return;
        }

        if (_numbers is null || _hasValue is null || !_hasValue.Get(doc))
        {
            _missing++;
            return;
        }

        var raw = _numbers.Get(doc);
        if (_kind == FieldKind.Double)
        {
            var value = BitConverter.Int64BitsToDouble(raw);
            _doubles[value] = _doubles.GetValueOrDefault(value) + 1;
        }
        else
        {
            _longs[raw] = _longs.GetValueOrDefault(raw) + 1;
        }
    }

    /// <summary>The aggregation's response: <c>doc_count_error_upper_bound</c>, <c>sum_other_doc_count</c>, <c>buckets</c>.</summary>
    public JsonObject Result()
    {
        FlushSegment();
        var buckets = new List<(JsonValue Key, IComparable SortKey, long Count, string? KeyAsString)>();
        switch (_kind)
        {
            case FieldKind.Keyword:
                if (_spec.Missing is { } m && _missing > 0)
                {
                    var key = JsonScalars.Text(m);
                    _terms[key] = _terms.GetValueOrDefault(key) + _missing;
                }

                buckets.AddRange(_terms.Select(t => ((JsonValue)JsonValue.Create(t.Key), (IComparable)new OrdinalString(t.Key), t.Value, (string?)null)));
                break;
            case FieldKind.Double:
                if (_spec.Missing is { } md && _missing > 0)
                {
                    var key = JsonScalars.TryNumber(md, out var d) ? d : throw SearchException.IllegalArgument($"[missing] value [{md.ToJsonString()}] is not a number");
                    _doubles[key] = _doubles.GetValueOrDefault(key) + _missing;
                }

                buckets.AddRange(_doubles.Select(t => ((JsonValue)JsonValue.Create(t.Key), (IComparable)t.Key, t.Value, (string?)null)));
                break;
            default:
                if (_spec.Missing is { } mn && _missing > 0)
                {
                    var key = _kind == FieldKind.Date
                        ? DateMath.Parse(JsonScalars.Text(mn), null, false, TimeZoneInfo.Utc, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
                        : JsonScalars.TryNumber(mn, out var n) ? (long)n : throw SearchException.IllegalArgument($"[missing] value [{mn.ToJsonString()}] is not a number");
                    _longs[key] = _longs.GetValueOrDefault(key) + _missing;
                }

                buckets.AddRange(_longs.Select(t => ((JsonValue)JsonValue.Create(t.Key), (IComparable)t.Key, t.Value, _kind == FieldKind.Date ? EsDates.Format(t.Key) : null)));
                break;
        }

        var eligible = buckets.Where(b => b.Count >= _spec.MinDocCount).ToList();
        eligible.Sort((a, b) =>
        {
            foreach (var order in _spec.Order)
            {
                var c = order.ByKey ? a.SortKey.CompareTo(b.SortKey) : a.Count.CompareTo(b.Count);
                if (c != 0)
                {
                    return order.Descending ? -c : c;
                }
            }

            return 0;
        });

        var shown = eligible.Take(_spec.Size).ToList();
        var array = new JsonArray();
        foreach (var (key, _, count, keyAsString) in shown)
        {
            var bucket = new JsonObject { ["key"] = key };
            if (keyAsString is not null)
            {
                bucket["key_as_string"] = keyAsString;
            }

            bucket["doc_count"] = count;
            array.Add(bucket);
        }

        var result = new JsonObject();
        if (_spec.Meta is not null)
        {
            result["meta"] = _spec.Meta.DeepClone();
        }

        result["doc_count_error_upper_bound"] = 0;
        result["sum_other_doc_count"] = eligible.Skip(_spec.Size).Sum(b => b.Count);
        result["buckets"] = array;
        return result;
    }

    private void FlushSegment()
    {
        if (_ords is null)
        {
            return;
        }

        var scratch = new BytesRef();
        var prefix = _keyPrefix?.Length ?? 0;
        for (var slot = 0; slot < _segmentCounts.Length; slot++)
        {
            var count = _segmentCounts[slot];
            if (count == 0 && _spec.MinDocCount > 0)
            {
                continue;
            }

            _ords.LookupOrd(_ordLow + slot, scratch);
            var term = System.Text.Encoding.UTF8.GetString(scratch.Bytes, scratch.Offset + prefix, scratch.Length - prefix);
            _terms[term] = _terms.GetValueOrDefault(term) + count;
        }

        _ords = null;
        _segmentCounts = [];
    }

    private static long InsertionPoint(long lookup) => lookup >= 0 ? lookup : -lookup - 1;

    /// <summary>Keys compare as Elasticsearch does: by UTF-8 bytes (ordinal for the BMP).</summary>
    private readonly record struct OrdinalString(string Value) : IComparable
    {
        public int CompareTo(object? obj) => string.CompareOrdinal(Value, ((OrdinalString)obj!).Value);
    }
}
