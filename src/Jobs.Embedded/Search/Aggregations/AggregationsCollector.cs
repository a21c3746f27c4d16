using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>Runs the top-level aggregations over the documents the query matches.</summary>
internal sealed class AggregationsCollector(IReadOnlyList<Aggregator> aggregators) : ICollector
{
    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer)
    {
    }

    public void SetNextReader(AtomicReaderContext context)
    {
        foreach (var aggregator in aggregators)
        {
            aggregator.SetNextReader(context);
        }
    }

    public void Collect(int doc)
    {
        foreach (var aggregator in aggregators)
        {
            aggregator.Collect(doc, 0);
        }
    }

    /// <summary>The response's <c>aggregations</c>, in request order, whether collected here or counted otherwise.</summary>
    public static JsonObject Results(IEnumerable<Aggregator> aggregators)
    {
        var results = new JsonObject();
        foreach (var aggregator in aggregators)
        {
            results[aggregator.Spec.Name] = aggregator.Result(0);
        }

        return results;
    }
}
