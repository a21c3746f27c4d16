using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Search.Dsl;
using Lucene.Net.Index;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>
/// <c>terms</c> (Aggregations > Terms): one bucket per distinct value, over doc values. Keyword
/// values are collected by segment ordinal and named once per segment; numbers and dates by value.
/// A document counts once per distinct value it has; with <c>missing</c>, a document without a
/// value counts under that value. Buckets are ranked by <c>order</c> (default: count descending,
/// key ascending), cut to <c>shard_size</c> then to <c>size</c> after <c>min_doc_count</c>, and
/// <c>sum_other_doc_count</c> holds what was cut, as one Elasticsearch shard reports it. Over
/// every document, keyword counts come from the postings instead (<see cref="TryCountFromPostings"/>).
/// </summary>
internal sealed class TermsAggregator : BucketAggregator
{
    private readonly TermsSpec _spec;
    private readonly FieldSource _source;
    private readonly AggregationContext _context;
    private readonly Dictionary<(long Owner, string Key), long> _stringOrdinals = [];
    private readonly Dictionary<(long Owner, long Key), long> _numberOrdinals = [];
    private readonly Dictionary<long, List<long>> _byOwner = [];
    private readonly List<object> _keys = [];
    private readonly object? _missing;

    private KeywordValues? _keywords;
    private NumericValues? _numbers;
    private long[] _topLevelSlots = [];

    // Fast path (top level, no sub-aggregations, single-valued segment): counts per segment ordinal.
    private SortedDocValues? _single;
    private long[]? _segmentCounts;
    private long _segmentMissing;
    private readonly Dictionary<(long Owner, long Slot), long> _slots = [];

    public TermsAggregator(TermsSpec spec, AggregationContext context)
        : base(spec, context)
    {
        _spec = spec;
        _context = context;
        _source = FieldSource.Resolve(context.Catalog, spec.Field);
        _missing = spec.Missing is null ? null : MissingKey(spec.Missing);
    }

    /// <summary>
    /// Counts every live document's terms from the postings (<see cref="PostingsTermCounts"/>)
    /// instead of being collected, when the query matches every document and the answer needs
    /// only counts per term: a keyword field, no sub-aggregations, no <c>missing</c>, no empty
    /// buckets. False: collect as usual.
    /// </summary>
    public bool TryCountFromPostings(IndexReader reader)
    {
        if (Subs.Length > 0 || _source.Kind != SourceKind.Keyword || _missing is not null || _spec.MinDocCount == 0
            || PostingsTermCounts.CountLive(reader, _source) is not { } counts)
        {
            return false;
        }

        foreach (var (key, count) in counts)
        {
            AddDocCount(Ordinal(0, key), count);
        }

        return true;
    }

    protected override void SetNextSegment(AtomicReaderContext leaf)
    {
        FlushSegmentCounts();
        _slots.Clear();
        _keywords = _source.Kind == SourceKind.Keyword ? KeywordValues.Open(leaf.AtomicReader, _source) : null;
        _numbers = _source.IsNumeric ? NumericValues.Open(leaf.AtomicReader, _source) : null;
        _topLevelSlots = _keywords is null ? [] : new long[_keywords.Count];
        Array.Fill(_topLevelSlots, -1);
        _single = Subs.Length == 0 ? _keywords?.Single : null;
        _segmentCounts = _single is null ? null : new long[_keywords!.Count];
        _segmentMissing = 0;
    }

    public override void Collect(int doc, long bucket)
    {
        if (_single is not null && bucket == 0)
        {
            var slot = _single.GetOrd(doc) - _keywords!.Low;
            if ((ulong)slot < (ulong)_segmentCounts!.LongLength)
            {
                _segmentCounts[slot]++;
            }
            else
            {
                _segmentMissing++;
            }

            return;
        }

        var any = false;
        if (_keywords is not null)
        {
            _keywords.SetDocument(doc);
            long slot;
            while ((slot = _keywords.NextSlot()) >= 0)
            {
                any = true;
                CollectBucket(doc, SlotOrdinal(bucket, slot));
            }
        }
        else if (_numbers is not null && _numbers.TryGetRaw(doc, out var raw))
        {
            any = true;
            CollectBucket(doc, Ordinal(bucket, raw));
        }

        if (!any && _missing is not null)
        {
            CollectBucket(doc, _missing is string s ? Ordinal(bucket, s) : Ordinal(bucket, (long)_missing));
        }
    }

    public override JsonObject Result(long bucket)
    {
        FlushSegmentCounts();
        var buckets = _byOwner.TryGetValue(bucket, out var ordinals)
            ? ordinals.Select(o => (Ordinal: o, Key: _keys[(int)o])).ToList()
            : [];
        if (_spec.MinDocCount == 0)
        {
            AddEmptyBuckets(buckets);
        }

        Sort(buckets, _spec.Order, CompareKeys);
        var shardSize = Math.Max(_spec.Size, _spec.ShardSize ?? (_spec.Order[0].ByKey ? _spec.Size : (int)Math.Min(int.MaxValue, (_spec.Size * 1.5) + 10)));
        var other = buckets.Skip(shardSize).Sum(b => DocCount(b.Ordinal));
        var eligible = buckets.Take(shardSize).Where(b => DocCount(b.Ordinal) >= _spec.MinDocCount).ToList();
        other += eligible.Skip(_spec.Size).Sum(b => DocCount(b.Ordinal));

        var array = new JsonArray();
        foreach (var (ordinal, key) in eligible.Take(_spec.Size))
        {
            var json = new JsonObject { ["key"] = KeyJson(key) };
            if (_source.Kind == SourceKind.Date)
            {
                json["key_as_string"] = DatePrinter.Print((long)key, TimeZoneInfo.Utc, null);
            }

            array.Add(Bucket(json, ordinal));
        }

        var result = NewResult();
        result["doc_count_error_upper_bound"] = 0;
        result["sum_other_doc_count"] = other;
        result["buckets"] = array;
        return result;
    }

    /// <summary>Turns the fast path's per-ordinal counts of the segment into bucket counts.</summary>
    private void FlushSegmentCounts()
    {
        if (_segmentCounts is null)
        {
            return;
        }

        for (var slot = 0; slot < _segmentCounts.Length; slot++)
        {
            if (_segmentCounts[slot] > 0)
            {
                AddDocCount(SlotOrdinal(0, slot), _segmentCounts[slot]);
            }
        }

        if (_segmentMissing > 0 && _missing is not null)
        {
            AddDocCount(_missing is string s ? Ordinal(0, s) : Ordinal(0, (long)_missing), _segmentMissing);
        }

        _segmentCounts = null;
        _segmentMissing = 0;
    }

    private long SlotOrdinal(long owner, long slot)
    {
        if (owner == 0)
        {
            var known = _topLevelSlots[slot];
            return known >= 0 ? known : _topLevelSlots[slot] = Ordinal(owner, _keywords!.Term(slot));
        }

        if (!_slots.TryGetValue((owner, slot), out var ordinal))
        {
            ordinal = _slots[(owner, slot)] = Ordinal(owner, _keywords!.Term(slot));
        }

        return ordinal;
    }

    private long Ordinal(long owner, string key)
    {
        if (!_stringOrdinals.TryGetValue((owner, key), out var ordinal))
        {
            ordinal = _stringOrdinals[(owner, key)] = NewOrdinal(owner, key);
        }

        return ordinal;
    }

    private long Ordinal(long owner, long key)
    {
        if (!_numberOrdinals.TryGetValue((owner, key), out var ordinal))
        {
            ordinal = _numberOrdinals[(owner, key)] = NewOrdinal(owner, key);
        }

        return ordinal;
    }

    private long NewOrdinal(long owner, object key)
    {
        _keys.Add(key);
        var ordinal = _keys.Count - 1;
        (_byOwner.TryGetValue(owner, out var list) ? list : _byOwner[owner] = []).Add(ordinal);
        return ordinal;
    }

    /// <summary>min_doc_count 0: every value of the field in the index, with the documents of this bucket (often none).</summary>
    private void AddEmptyBuckets(List<(long Ordinal, object Key)> buckets)
    {
        var present = buckets.Select(b => b.Key).ToHashSet();
        foreach (var leaf in _context.Searcher.IndexReader.Leaves)
        {
            if (_source.Kind == SourceKind.Keyword && KeywordValues.Open(leaf.AtomicReader, _source) is { } keywords)
            {
                for (long slot = 0; slot < keywords.Count; slot++)
                {
                    var term = keywords.Term(slot);
                    if (present.Add(term))
                    {
                        buckets.Add((-1, term));
                    }
                }
            }
            else if (_source.IsNumeric && NumericValues.Open(leaf.AtomicReader, _source) is { } numbers)
            {
                var live = leaf.AtomicReader.LiveDocs;
                for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
                {
                    if ((live is null || live.Get(doc)) && numbers.TryGetRaw(doc, out var raw) && present.Add(raw))
                    {
                        buckets.Add((-1, raw));
                    }
                }
            }
        }
    }

    private int CompareKeys(object a, object b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (long x, long y) when _source.Kind == SourceKind.Double => BitConverter.Int64BitsToDouble(x).CompareTo(BitConverter.Int64BitsToDouble(y)),
        (long x, long y) => x.CompareTo(y),
        _ => 0,
    };

    private JsonNode KeyJson(object key) => key switch
    {
        string s => JsonValue.Create(s),
        long bits when _source.Kind == SourceKind.Double => JsonValue.Create(BitConverter.Int64BitsToDouble(bits)),
        long l => JsonValue.Create(l),
        _ => throw new InvalidOperationException("unknown key"),
    };

    private object MissingKey(JsonValue missing)
    {
        switch (_source.Kind)
        {
            case SourceKind.Keyword or SourceKind.Unmapped:
                return JsonScalars.Text(missing);
            case SourceKind.Date:
                return DateMath.Parse(JsonScalars.Text(missing), null, false, TimeZoneInfo.Utc, _context.NowMillis);
            default:
                if (!JsonScalars.TryNumber(missing, out var number))
                {
                    throw SearchException.IllegalArgument($"[missing] value [{missing.ToJsonString()}] is not a number");
                }

                return _source.Kind == SourceKind.Double ? BitConverter.DoubleToInt64Bits(number) : (long)number;
        }
    }
}
