using System.Text.Json.Nodes;
using Lucene.Net.Index;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>
/// <c>value_count</c>: how many values the documents have (a keyword array counts each distinct
/// value of a document), per owning bucket; with <c>missing</c>, a document without a value
/// counts one.
/// </summary>
internal sealed class ValueCountAggregator(MetricSpec spec, AggregationContext context) : Aggregator(spec)
{
    private readonly FieldSource _source = FieldSource.Resolve(context.Catalog, spec.Field);
    private KeywordValues? _keywords;
    private NumericValues? _numbers;
    private long[] _counts = [];

    public override void SetNextReader(AtomicReaderContext leaf)
    {
        _keywords = _source.Kind == SourceKind.Keyword ? KeywordValues.Open(leaf.AtomicReader, _source) : null;
        _numbers = _source.IsNumeric ? NumericValues.Open(leaf.AtomicReader, _source) : null;
    }

    public override void Collect(int doc, long bucket)
    {
        long values = 0;
        if (_keywords is not null)
        {
            _keywords.SetDocument(doc);
            while (_keywords.NextSlot() >= 0)
            {
                values++;
            }
        }
        else if (_numbers is not null && _numbers.TryGetRaw(doc, out _))
        {
            values = 1;
        }

        if (values == 0 && spec.Missing is not null)
        {
            values = 1;
        }

        if (values > 0)
        {
            if (bucket >= _counts.Length)
            {
                Array.Resize(ref _counts, (int)Math.Max(bucket + 1, Math.Max(16, _counts.Length * 2L)));
            }

            _counts[bucket] += values;
        }
    }

    public override JsonObject Result(long bucket)
    {
        var result = NewResult();
        result["value"] = SortValue(bucket, null);
        return result;
    }

    public override double SortValue(long bucket, string? metric) =>
        bucket >= 0 && bucket < _counts.Length ? _counts[bucket] : 0;
}
