using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Lucene.Net.Index;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>
/// An aggregation that puts documents into buckets: keeps each bucket's document count (by bucket
/// ordinal) and runs the sub-aggregations with the bucket's ordinal as their owning bucket.
/// Also orders buckets by <c>_count</c>, <c>_key</c> or a sub-aggregation's metric.
/// </summary>
internal abstract class BucketAggregator : Aggregator
{
    private long[] _docCounts = new long[16];

    protected BucketAggregator(AggregationSpec spec, AggregationContext context)
        : base(spec)
    {
        Subs = [.. spec.SubAggregations.Select(s => AggregatorFactory.Create(s, context))];
    }

    protected Aggregator[] Subs { get; }

    public sealed override void SetNextReader(AtomicReaderContext leaf)
    {
        SetNextSegment(leaf);
        foreach (var sub in Subs)
        {
            sub.SetNextReader(leaf);
        }
    }

    protected abstract void SetNextSegment(AtomicReaderContext leaf);

    protected void CollectBucket(int doc, long ordinal)
    {
        if (ordinal >= _docCounts.Length)
        {
            Array.Resize(ref _docCounts, (int)Math.Max(ordinal + 1, _docCounts.Length * 2L));
        }

        _docCounts[ordinal]++;
        foreach (var sub in Subs)
        {
            sub.Collect(doc, ordinal);
        }
    }

    /// <summary>Adds documents to a bucket at once (only for an aggregation without sub-aggregations).</summary>
    protected void AddDocCount(long ordinal, long count)
    {
        if (ordinal >= _docCounts.Length)
        {
            Array.Resize(ref _docCounts, (int)Math.Max(ordinal + 1, _docCounts.Length * 2L));
        }

        _docCounts[ordinal] += count;
    }

    protected long DocCount(long ordinal) => ordinal >= 0 && ordinal < _docCounts.Length ? _docCounts[ordinal] : 0;

    /// <summary><c>doc_count</c> then each sub-aggregation's result, into a bucket object.</summary>
    protected JsonObject Bucket(JsonObject bucket, long ordinal)
    {
        bucket["doc_count"] = DocCount(ordinal);
        foreach (var sub in Subs)
        {
            bucket[sub.Spec.Name] = sub.Result(ordinal);
        }

        return bucket;
    }

    /// <summary>Sorts buckets (ordinal, key) by the orders; the key comparison is the caller's.</summary>
    protected void Sort<TKey>(List<(long Ordinal, TKey Key)> buckets, IReadOnlyList<BucketOrder> orders, Comparison<TKey> compareKeys)
    {
        foreach (var order in orders.Where(o => !o.ByKey && !o.ByCount))
        {
            CheckPath(order.Path);
        }

        buckets.Sort((a, b) =>
        {
            foreach (var order in orders)
            {
                var c = order.ByKey ? compareKeys(a.Key, b.Key)
                    : order.ByCount ? DocCount(a.Ordinal).CompareTo(DocCount(b.Ordinal))
                    : CompareDoubles(PathValue(a.Ordinal, order.Path), PathValue(b.Ordinal, order.Path));
                if (c != 0)
                {
                    return order.Descending ? -c : c;
                }
            }

            return 0;
        });
    }

    /// <summary>A path below this aggregation: <c>sub</c>, <c>sub.metric</c>, <c>sub&gt;deeper</c> (through single-bucket aggregations).</summary>
    public double PathValue(long ordinal, string path)
    {
        if (path is "_count" or "doc_count")
        {
            return DocCount(ordinal);
        }

        var (name, rest, metric) = SplitPath(path);
        var sub = Subs.First(s => s.Spec.Name == name);
        if (rest is not null)
        {
            return sub is FilterAggregator
                ? sub.SortValue(ordinal, rest)
                : throw SearchException.IllegalArgument($"[{name}] is not a single-bucket aggregation: the order path [{path}] cannot go through it");
        }

        return sub.SortValue(ordinal, metric);
    }

    private void CheckPath(string path)
    {
        var (name, _, _) = SplitPath(path);
        if (Subs.All(s => s.Spec.Name != name))
        {
            throw new SearchException(
                "aggregation_execution_exception",
                $"Invalid aggregator order path [{path}]. The provided aggregation [{name}] either does not exist, or is a pipeline aggregation and cannot be used to sort the buckets.");
        }
    }

    private static (string Name, string? Remainder, string? Metric) SplitPath(string path)
    {
        var step = path.IndexOf('>', StringComparison.Ordinal);
        var head = step < 0 ? path : path[..step];
        var dot = head.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? head : head[..dot];
        return (name, step < 0 ? null : path[(step + 1)..], dot < 0 ? null : head[(dot + 1)..]);
    }
}
