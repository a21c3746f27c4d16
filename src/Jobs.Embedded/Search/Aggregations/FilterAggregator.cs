using System.Text.Json.Nodes;
using Jobs.Embedded.Search.Dsl;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>
/// <c>filter</c> (one bucket: the documents that also match a query) and <c>filters</c> (one
/// bucket per query, named or anonymous, plus the optional other bucket of documents that match
/// none). Each filter is evaluated once per segment into a bit set.
/// </summary>
internal sealed class FilterAggregator : BucketAggregator
{
    private readonly AggregationSpec _spec;
    private readonly Weight[] _weights;
    private readonly FixedBitSet?[] _matches;
    private readonly string? _otherKey;
    private readonly IReadOnlyList<(string Key, QueryNode Filter)> _filters;
    private readonly int _width;

    public FilterAggregator(AggregationSpec spec, IReadOnlyList<(string Key, QueryNode Filter)> filters, string? otherKey, AggregationContext context)
        : base(spec, context)
    {
        _spec = spec;
        _filters = filters;
        _otherKey = otherKey;
        _weights = [.. filters.Select(f => context.Searcher.CreateNormalizedWeight(context.Queries.Build(f.Filter)))];
        _matches = new FixedBitSet?[filters.Count];
        _width = filters.Count + (otherKey is null ? 0 : 1);
    }

    protected override void SetNextSegment(AtomicReaderContext leaf)
    {
        for (var i = 0; i < _weights.Length; i++)
        {
            var scorer = _weights[i].GetScorer(leaf, leaf.AtomicReader.LiveDocs);
            if (scorer is null)
            {
                _matches[i] = null;
                continue;
            }

            var bits = new FixedBitSet(leaf.AtomicReader.MaxDoc);
            int doc;
            while ((doc = scorer.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
            {
                bits.Set(doc);
            }

            _matches[i] = bits;
        }
    }

    public override void Collect(int doc, long bucket)
    {
        var matched = false;
        for (var i = 0; i < _matches.Length; i++)
        {
            if (_matches[i]?.Get(doc) == true)
            {
                matched = true;
                CollectBucket(doc, (bucket * _width) + i);
            }
        }

        if (!matched && _otherKey is not null)
        {
            CollectBucket(doc, (bucket * _width) + _filters.Count);
        }
    }

    public override JsonObject Result(long bucket)
    {
        var result = NewResult();
        if (_spec is FilterSpec)
        {
            return Bucket(result, Ordinal(bucket, 0));
        }

        var spec = (FiltersSpec)_spec;
        var keys = _filters.Select(f => f.Key).ToList();
        if (_otherKey is not null)
        {
            keys.Add(_otherKey);
        }

        JsonNode buckets = spec.Keyed ? new JsonObject() : new JsonArray();
        for (var i = 0; i < keys.Count; i++)
        {
            var json = new JsonObject();
            if (!spec.Keyed && spec.Named)
            {
                json["key"] = keys[i];
            }

            Bucket(json, Ordinal(bucket, i));
            if (buckets is JsonObject keyed)
            {
                keyed[keys[i]] = json;
            }
            else
            {
                ((JsonArray)buckets).Add(json);
            }
        }

        result["buckets"] = buckets;
        return result;
    }

    /// <summary>A <c>filter</c> aggregation in an order path: its doc count, or a value further down.</summary>
    public override double SortValue(long bucket, string? metric) =>
        _spec is FilterSpec ? PathValue(Ordinal(bucket, 0), metric ?? "_count") : base.SortValue(bucket, metric);

    private long Ordinal(long bucket, int index) => bucket < 0 ? -1 : (bucket * _width) + index;
}
