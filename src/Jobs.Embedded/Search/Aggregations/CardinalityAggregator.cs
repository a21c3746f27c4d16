using System.Text.Json.Nodes;
using Jobs.Embedded.Search.Dsl;
using Lucene.Net.Index;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>
/// <c>cardinality</c>: the number of distinct values per owning bucket. Elasticsearch estimates
/// it (HyperLogLog++), exactly below its precision threshold; this store counts exactly. Keyword
/// values are gathered by segment ordinal and named once per segment.
/// </summary>
internal sealed class CardinalityAggregator(MetricSpec spec, AggregationContext context) : Aggregator(spec)
{
    private readonly FieldSource _source = FieldSource.Resolve(context.Catalog, spec.Field);
    private readonly Dictionary<long, HashSet<string>> _terms = [];
    private readonly Dictionary<long, HashSet<long>> _numbers = [];
    private readonly Dictionary<long, HashSet<long>> _segmentSlots = [];
    private KeywordValues? _keywords;
    private NumericValues? _values;

    public override void SetNextReader(AtomicReaderContext leaf)
    {
        Flush();
        _keywords = _source.Kind == SourceKind.Keyword ? KeywordValues.Open(leaf.AtomicReader, _source) : null;
        _values = _source.IsNumeric ? NumericValues.Open(leaf.AtomicReader, _source) : null;
    }

    public override void Collect(int doc, long bucket)
    {
        var any = false;
        if (_keywords is not null)
        {
            _keywords.SetDocument(doc);
            long slot;
            while ((slot = _keywords.NextSlot()) >= 0)
            {
                any = true;
                (_segmentSlots.TryGetValue(bucket, out var slots) ? slots : _segmentSlots[bucket] = []).Add(slot);
            }
        }
        else if (_values is not null && _values.TryGetRaw(doc, out var raw))
        {
            any = true;
            Numbers(bucket).Add(raw);
        }

        if (!any && spec.Missing is { } missing)
        {
            if (_source.IsNumeric && JsonScalars.TryNumber(missing, out var number))
            {
                Numbers(bucket).Add(_source.Kind == SourceKind.Double ? BitConverter.DoubleToInt64Bits(number) : (long)number);
            }
            else
            {
                Terms(bucket).Add(JsonScalars.Text(missing));
            }
        }
    }

    public override JsonObject Result(long bucket)
    {
        var result = NewResult();
        result["value"] = (long)SortValue(bucket, null);
        return result;
    }

    public override double SortValue(long bucket, string? metric)
    {
        Flush();
        return (_terms.TryGetValue(bucket, out var terms) ? terms.Count : 0) + (_numbers.TryGetValue(bucket, out var numbers) ? numbers.Count : 0);
    }

    private void Flush()
    {
        if (_keywords is null)
        {
            return;
        }

        foreach (var (bucket, slots) in _segmentSlots)
        {
            var terms = Terms(bucket);
            foreach (var slot in slots)
            {
                terms.Add(_keywords.Term(slot));
            }
        }

        _segmentSlots.Clear();
    }

    private HashSet<string> Terms(long bucket) => _terms.TryGetValue(bucket, out var set) ? set : _terms[bucket] = new HashSet<string>(StringComparer.Ordinal);

    private HashSet<long> Numbers(long bucket) => _numbers.TryGetValue(bucket, out var set) ? set : _numbers[bucket] = [];
}
