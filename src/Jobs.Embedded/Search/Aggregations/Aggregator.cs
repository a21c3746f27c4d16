using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Jobs.Embedded.Search.Dsl;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>What aggregators need besides the documents: the searcher, the fields, queries (filter aggregations) and now.</summary>
internal sealed record AggregationContext(IndexSearcher Searcher, FieldCatalog Catalog, LuceneQueryFactory Queries, long NowMillis);

/// <summary>
/// An aggregation running as a collector over doc values, Elasticsearch-style: every document is
/// collected into an owning bucket (0 at the top level; a parent bucket's ordinal below a bucket
/// aggregation), so one aggregator instance serves every bucket of its parent, at any depth.
/// <see cref="Result"/> renders the response for one owning bucket; a negative bucket stands for
/// a bucket without documents (the empty buckets of a date histogram).
/// </summary>
internal abstract class Aggregator(AggregationSpec spec)
{
    public AggregationSpec Spec { get; } = spec;

    public abstract void SetNextReader(AtomicReaderContext leaf);

    public abstract void Collect(int doc, long bucket);

    public abstract JsonObject Result(long bucket);

    /// <summary>
    /// The value a parent's <c>order</c> sorts by (<c>metric</c> is the part after the dot of
    /// <c>agg.metric</c>, or null). Only single-value metrics, <c>stats</c> members and
    /// single-bucket aggregations have one.
    /// </summary>
    public virtual double SortValue(long bucket, string? metric) =>
        throw SearchException.IllegalArgument(
            $"Buckets can only be sorted on a sub-aggregator path that is built out of zero or more single-bucket aggregations within the path and a final single-bucket or a metrics aggregation at the path end. [{Spec.Name}] is not one.");

    /// <summary>The response object, <c>meta</c> first as Elasticsearch writes it.</summary>
    protected JsonObject NewResult()
    {
        var result = new JsonObject();
        if (Spec.Meta is not null)
        {
            result["meta"] = Spec.Meta.DeepClone();
        }

        return result;
    }

    /// <summary>Java's <c>Double.compare</c>: NaN after every number (an empty bucket's average sorts last ascending).</summary>
    public static int CompareDoubles(double a, double b) =>
        double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b);
}
