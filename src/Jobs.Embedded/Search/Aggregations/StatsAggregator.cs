using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Search.Dsl;
using Lucene.Net.Index;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>
/// The numeric metrics <c>min</c>, <c>max</c>, <c>avg</c>, <c>sum</c> and <c>stats</c> over
/// numeric doc values (integer, double, date), per owning bucket, with Elasticsearch's shapes:
/// <c>{"value": …}</c> (null when no document had a value; <c>sum</c> is then 0) or
/// <c>{"count","min","max","avg","sum"}</c>; on a date field each value also comes as a string.
/// Sums are compensated (Kahan), as Elasticsearch's are.
/// </summary>
internal sealed class StatsAggregator : Aggregator
{
    private readonly MetricSpec _spec;
    private readonly FieldSource _source;
    private readonly double? _missing;
    private NumericValues? _values;
    private long[] _counts = [];
    private double[] _sums = [];
    private double[] _compensations = [];
    private double[] _mins = [];
    private double[] _maxes = [];

    public StatsAggregator(MetricSpec spec, AggregationContext context)
        : base(spec)
    {
        _spec = spec;
        _source = FieldSource.Resolve(context.Catalog, spec.Field);
        if (_source.Kind == SourceKind.Keyword)
        {
            throw _source.NotSupportedFor(spec.Type);
        }

        if (spec.Format is not null && _source.Kind != SourceKind.Date)
        {
            throw SearchException.Unsupported($"{spec.Type}.format on a non-date field");
        }

        if (spec.Missing is { } missing)
        {
            _missing = _source.Kind == SourceKind.Date && !(missing.GetValueKind() == System.Text.Json.JsonValueKind.Number)
                ? DateMath.Parse(JsonScalars.Text(missing), null, false, TimeZoneInfo.Utc, context.NowMillis)
                : JsonScalars.TryNumber(missing, out var number) ? number : throw SearchException.IllegalArgument($"[missing] value [{missing.ToJsonString()}] is not a number");
        }
    }

    public override void SetNextReader(AtomicReaderContext leaf) =>
        _values = _source.IsNumeric ? NumericValues.Open(leaf.AtomicReader, _source) : null;

    public override void Collect(int doc, long bucket)
    {
        double value;
        if (_values is not null && _values.TryGet(doc, out var read))
        {
            value = read;
        }
        else if (_missing is { } missing)
        {
            value = missing;
        }
        else
        {
            return;
        }

        Grow(bucket);
        if (_counts[bucket]++ == 0)
        {
            _mins[bucket] = value;
            _maxes[bucket] = value;
        }
        else
        {
            _mins[bucket] = Math.Min(_mins[bucket], value);
            _maxes[bucket] = Math.Max(_maxes[bucket], value);
        }

        // Kahan summation.
        var corrected = value - _compensations[bucket];
        var sum = _sums[bucket] + corrected;
        _compensations[bucket] = (sum - _sums[bucket]) - corrected;
        _sums[bucket] = sum;
    }

    public override JsonObject Result(long bucket)
    {
        var result = NewResult();
        var count = Count(bucket);
        switch (_spec.Type)
        {
            case "stats":
                result["count"] = count;
                result["min"] = count > 0 ? _mins[bucket] : null;
                result["max"] = count > 0 ? _maxes[bucket] : null;
                result["avg"] = count > 0 ? _sums[bucket] / count : null;
                result["sum"] = count > 0 ? _sums[bucket] : 0.0;
                if (count > 0 && _source.Kind == SourceKind.Date)
                {
                    result["min_as_string"] = Print(_mins[bucket]);
                    result["max_as_string"] = Print(_maxes[bucket]);
                    result["avg_as_string"] = Print(_sums[bucket] / count);
                    result["sum_as_string"] = Print(_sums[bucket]);
                }

                return result;
            case "sum":
                var sum = count > 0 ? _sums[bucket] : 0.0;
                result["value"] = sum;
                if (_source.Kind == SourceKind.Date)
                {
                    result["value_as_string"] = Print(sum);
                }

                return result;
            default:
                var value = SortValue(bucket, null);
                result["value"] = count > 0 ? value : null;
                if (count > 0 && _source.Kind == SourceKind.Date)
                {
                    result["value_as_string"] = Print(value);
                }

                return result;
        }
    }

    public override double SortValue(long bucket, string? metric)
    {
        var count = Count(bucket);
        return (metric ?? _spec.Type) switch
        {
            "count" when _spec.Type == "stats" => count,
            "min" => count > 0 ? _mins[bucket] : double.PositiveInfinity,
            "max" => count > 0 ? _maxes[bucket] : double.NegativeInfinity,
            "avg" => count > 0 ? _sums[bucket] / count : double.NaN,
            "sum" => count > 0 ? _sums[bucket] : 0,
            "value" when _spec.Type != "stats" => SortValue(bucket, null),
            _ => throw SearchException.IllegalArgument($"Unknown value key [{metric}] for the [{_spec.Type}] aggregation [{_spec.Name}]"),
        };
    }

    private long Count(long bucket) => bucket >= 0 && bucket < _counts.Length ? _counts[bucket] : 0;

    private string Print(double value) => DatePrinter.Print((long)value, TimeZoneInfo.Utc, _spec.Format);

    private void Grow(long bucket)
    {
        if (bucket < _counts.Length)
        {
            return;
        }

        var size = (int)Math.Max(bucket + 1, Math.Max(16, _counts.Length * 2L));
        Array.Resize(ref _counts, size);
        Array.Resize(ref _sums, size);
        Array.Resize(ref _compensations, size);
        Array.Resize(ref _mins, size);
        Array.Resize(ref _maxes, size);
    }
}
