using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Search.Dsl;
using Lucene.Net.Index;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>
/// <c>date_histogram</c> (Aggregations > Date histogram): documents bucketed by their date
/// rounded down to the interval (see <see cref="DateRounding"/>). With <c>min_doc_count</c> 0 (the
/// default) the empty buckets between the first and the last bucket, widened to
/// <c>extended_bounds</c>, are returned too; keys are epoch milliseconds and
/// <c>key_as_string</c> is printed in the time zone with <c>format</c> or the field's format.
/// </summary>
internal sealed class DateHistogramAggregator : BucketAggregator
{
    /// <summary>Elasticsearch's <c>search.max_buckets</c>.</summary>
    public const int MaxBuckets = 65_536;

    private readonly DateHistogramSpec _spec;
    private readonly FieldSource _source;
    private readonly DateRounding _rounding;
    private readonly Dictionary<(long Owner, long Key), long> _ordinals = [];
    private readonly Dictionary<long, List<(long Ordinal, long Key)>> _byOwner = [];
    private readonly long? _missing;
    private readonly (long Min, long Max)? _extended;
    private NumericValues? _values;
    private long _lastValue = long.MinValue;
    private long _lastKey;

    public DateHistogramAggregator(DateHistogramSpec spec, AggregationContext context)
        : base(spec, context)
    {
        _spec = spec;
        _source = FieldSource.Resolve(context.Catalog, spec.Field);
        if (_source.Kind is not (SourceKind.Date or SourceKind.Unmapped))
        {
            throw SearchException.IllegalArgument($"Field [{spec.Field}] of type [{_source.EsType}] is not supported for aggregation [date_histogram]");
        }

        _rounding = new DateRounding(spec.CalendarUnit, spec.FixedMillis, spec.Offset, spec.TimeZone);
        _missing = spec.Missing is null ? null : Date(spec.Missing, context.NowMillis);
        if (spec.ExtendedMin is not null || spec.ExtendedMax is not null)
        {
            var min = spec.ExtendedMin is null ? long.MaxValue : _rounding.Round(Date(spec.ExtendedMin, context.NowMillis));
            var max = spec.ExtendedMax is null ? long.MinValue : _rounding.Round(Date(spec.ExtendedMax, context.NowMillis));
            _extended = (min, max);
        }
    }

    protected override void SetNextSegment(AtomicReaderContext leaf) =>
        _values = _source.Kind == SourceKind.Date ? NumericValues.Open(leaf.AtomicReader, _source) : null;

    public override void Collect(int doc, long bucket)
    {
        long value;
        if (_values is not null && _values.TryGetRaw(doc, out var raw))
        {
            value = raw;
        }
        else if (_missing is { } missing)
        {
            value = missing;
        }
        else
        {
            return;
        }

        if (value != _lastValue)
        {
            _lastKey = _rounding.Round(value);
            _lastValue = value;
        }

        if (!_ordinals.TryGetValue((bucket, _lastKey), out var ordinal))
        {
            ordinal = _ordinals[(bucket, _lastKey)] = _ordinals.Count;
            (_byOwner.TryGetValue(bucket, out var list) ? list : _byOwner[bucket] = []).Add((ordinal, _lastKey));
        }

        CollectBucket(doc, ordinal);
    }

    public override JsonObject Result(long bucket)
    {
        var buckets = _byOwner.TryGetValue(bucket, out var list) ? [.. list] : new List<(long Ordinal, long Key)>();
        if (_spec.MinDocCount == 0)
        {
            buckets = Filled(buckets);
        }
        else
        {
            buckets.RemoveAll(b => DocCount(b.Ordinal) < _spec.MinDocCount);
        }

        Sort(buckets, _spec.Order, (a, b) => a.CompareTo(b));
        JsonNode array = _spec.Keyed ? new JsonObject() : new JsonArray();
        foreach (var (ordinal, key) in buckets)
        {
            var text = DatePrinter.Print(key, _spec.TimeZone, _spec.Format);
            var json = Bucket(new JsonObject { ["key_as_string"] = text, ["key"] = key }, ordinal);
            if (array is JsonObject keyed)
            {
                keyed[text] = json;
            }
            else
            {
                ((JsonArray)array).Add(json);
            }
        }

        var result = NewResult();
        result["buckets"] = array;
        return result;
    }

    /// <summary>Every bucket key from the first to the last (or the extended bounds), the missing ones empty.</summary>
    private List<(long Ordinal, long Key)> Filled(List<(long Ordinal, long Key)> buckets)
    {
        if (buckets.Count == 0 && _extended is null)
        {
            return buckets;
        }

        var byKey = buckets.ToDictionary(b => b.Key, b => b.Ordinal);
        var first = Math.Min(buckets.Count > 0 ? byKey.Keys.Min() : long.MaxValue, _extended?.Min ?? long.MaxValue);
        var last = Math.Max(buckets.Count > 0 ? byKey.Keys.Max() : long.MinValue, _extended?.Max ?? long.MinValue);
        var filled = new List<(long, long)>();
        for (var key = first; key <= last; key = _rounding.Next(key))
        {
            if (filled.Count >= MaxBuckets)
            {
                throw new SearchException(
                    "too_many_buckets_exception",
                    $"Trying to create too many buckets. Must be less than or equal to: [{MaxBuckets}] but this number of buckets was exceeded. This limit can be set by changing the [search.max_buckets] cluster level setting.");
            }

            filled.Add((byKey.GetValueOrDefault(key, -1), key));
        }

        return filled;
    }

    private long Date(JsonValue value, long now) =>
        value.GetValueKind() == System.Text.Json.JsonValueKind.Number && JsonScalars.TryNumber(value, out var millis)
            ? (long)millis
            : DateMath.Parse(JsonScalars.Text(value), _spec.Format is { } f && !f.Contains("epoch", StringComparison.Ordinal) ? f + "||" + EsDates.DefaultFormat : null, false, _spec.TimeZone, now);
}
