using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Json;
using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Jobs.Search.Limits;
using Jobs.Embedded.Search.Aggregations;
using Jobs.Embedded.Search.Dsl;
using Lucene.Net.Documents;
using Lucene.Net.Search;

namespace Jobs.Embedded.Search;

/// <summary>
/// Runs <c>_search</c> and <c>_count</c> requests on the index and answers in Elasticsearch's
/// shapes. Every search sees every write completed before it began (the index is refreshed first
/// when it has unseen writes).
/// </summary>
internal sealed class JobSearchService(JobIndex index, FieldCatalog catalog, TimeProvider time, SearchLimits? limits = null)
{
    private readonly SearchLimits _limits = QueryLimits.Allowing(limits ?? new SearchLimits());

    /// <summary>The index name reported in hits and in the mapping.</summary>
    public const string IndexName = "jobs";

    private static readonly string[] IdOnly = [FieldCatalog.IdField];
    private static readonly string[] IdAndSource = [FieldCatalog.IdField, FieldCatalog.SourceField];

    /// <summary>As <c>index.max_result_window</c>: <c>from + size</c> at most this.</summary>
    public const int MaxResultWindow = 10_000;

    public JsonObject Search(JsonObject body) => Search(SearchRequestParser.Parse(body));

    /// <summary>A request parsed already (the API's, checked and scoped by its policy).</summary>
    public JsonObject Search(SearchRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        StoreSupport.Check(request);

        if ((long)request.From + request.Size > MaxResultWindow)
        {
            throw ShardFailure.Wrap(SearchException.IllegalArgument(
                $"Result window is too large, from + size must be less than or equal to: [{MaxResultWindow}] but was [{(long)request.From + request.Size}]. "
                + "See the scroll api for a more efficient way to request large data sets. "
                + "This limit can be set by changing the [index.max_result_window] index level setting."));
        }

        try
        {
            return Run(request, SortPlan.Build(request.Sort, catalog), started);
        }
        catch (SearchException e)
        {
            throw ShardFailure.Wrap(e);
        }
    }

    private JsonObject Run(SearchRequest request, SortPlan sort, long started)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var queries = new LuceneQueryFactory(catalog, now, _limits);
        var query = queries.Build(request.Query);
        var after = request.SearchAfter is null ? null : sort.After(request.SearchAfter);
        var showScores = sort.NeedsScores || request.TrackScores;

        var searcher = index.AcquireFresh();
        try
        {
            // The budget covers the search itself, not the refresh that made the writes visible.
            var budget = new SearchBudget(time, TimeValue.Parse(request.Timeout) is { } asked && asked < _limits.Timeout ? asked : _limits.Timeout);
            var context = new AggregationContext(searcher, catalog, queries, now);
            var aggregators = request.Aggregations.Select(spec => AggregatorFactory.Create(spec, context)).ToList();

            // Over every document, terms counts come from the postings; the rest is collected.
            var everything = PostingsTermCounts.MatchesEverything(query);
            var collected = everything
                ? aggregators.Where(a => a is not TermsAggregator terms || !terms.TryCountFromPostings(searcher.IndexReader)).ToList()
                : aggregators;
            var aggregations = collected.Count == 0 ? null : new AggregationsCollector(collected);
            var window = request.From + request.Size;
            TopDocs? topDocs = null;
            long total = 0;
            var timedOut = false;
            if (aggregations is null && window == 0 && everything)
            {
                total = searcher.IndexReader.NumDocs; // nothing to collect: the count is the index's
            }
            else if (aggregations is null && window > 0 && SortWindow.Applies(sort, after, showScores))
            {
                // Sorted by a date or number first: only the matches next to the page are compared.
                // Out of time, the window has no page in order to give: no hits.
                try
                {
                    topDocs = SortWindow.Search(searcher, query, sort.Sort, window, after, budget);
                    total = request.TrackTotalHitsUpTo is { } upTo ? SortWindow.Count(searcher, query, upTo, budget) : 0;
                }
                catch (Exception e) when (SearchBudget.IsExpiry(e))
                {
                    timedOut = true;
                }
            }
            else
            {
                var top = window > 0
                    ? TopFieldCollector.Create(sort.Sort, window, after, true, showScores, showScores, false)
                    : null;
                var counter = top is null ? new TotalHitCountCollector() : null;
                ICollector main = (ICollector?)top ?? counter!;
                try
                {
                    searcher.Search(query, budget.Limit(aggregations is null ? main : MultiCollector.Wrap(main, aggregations)));
                }
                catch (Exception e) when (SearchBudget.IsExpiry(e))
                {
                    timedOut = true; // what was collected so far is the answer
                }

                topDocs = top?.GetTopDocs();
                total = top?.TotalHits ?? counter!.TotalHits;
            }

            var hits = new JsonArray();
            if (topDocs is not null)
            {
                var fields = request.Source.Fetch ? IdAndSource : IdOnly;
                for (var i = request.From; i < topDocs.ScoreDocs.Length; i++)
                {
                    hits.Add(Hit(searcher, (FieldDoc)topDocs.ScoreDocs[i], request, sort, fields, showScores));
                }
            }

            var hitsObject = new JsonObject();
            if (request.TrackTotalHitsUpTo is { } cap)
            {
                hitsObject["total"] = total > cap
                    ? new JsonObject { ["value"] = cap, ["relation"] = "gte" }
                    : new JsonObject { ["value"] = total, ["relation"] = "eq" };
            }

            hitsObject["max_score"] = showScores && topDocs is { ScoreDocs.Length: > 0 } && !float.IsNaN(topDocs.MaxScore)
                ? JsonValue.Create(topDocs.MaxScore)
                : null;
            hitsObject["hits"] = hits;

            var response = new JsonObject
            {
                ["took"] = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                ["timed_out"] = timedOut,
                ["_shards"] = Shards(),
                ["hits"] = hitsObject,
            };
            if (aggregators.Count > 0)
            {
                response["aggregations"] = AggregationsCollector.Results(aggregators);
            }

            return AsParsed(response);
        }
        finally
        {
            index.Release(searcher);
        }
    }

    public JsonObject Count(JsonObject? body) => Count(SearchRequestParser.ParseCount(body));

    public JsonObject Count(CountRequest parsed)
    {
        StoreSupport.Check(parsed);

        Query query;
        try
        {
            query = new LuceneQueryFactory(catalog, time.GetUtcNow().ToUnixTimeMilliseconds(), _limits).Build(parsed.Query);
        }
        catch (SearchException e)
        {
            throw ShardFailure.Wrap(e);
        }

        var searcher = index.AcquireFresh();
        try
        {
            var counter = new TotalHitCountCollector();
            var response = new JsonObject();
            try
            {
                searcher.Search(query, new SearchBudget(time, _limits.Timeout).Limit(counter));
            }
            catch (Exception e) when (SearchBudget.IsExpiry(e))
            {
                response["timed_out"] = true; // the count so far: a lower bound
            }

            response["count"] = counter.TotalHits;
            response["_shards"] = Shards();
            return AsParsed(response);
        }
        finally
        {
            index.Release(searcher);
        }
    }

    private static JsonObject Hit(IndexSearcher searcher, FieldDoc doc, SearchRequest request, SortPlan sort, string[] fields, bool showScores)
    {
        var visitor = new DocumentStoredFieldVisitor(fields);
        searcher.Doc(doc.Doc, visitor);
        var hit = new JsonObject
        {
            ["_index"] = IndexName,
            ["_id"] = visitor.Document.Get(FieldCatalog.IdField),
            ["_score"] = showScores && !float.IsNaN(doc.Score) ? JsonValue.Create(doc.Score) : null,
        };
        if (request.Source.Fetch)
        {
            var bytes = visitor.Document.GetBinaryValue(FieldCatalog.SourceField);
            var source = JobsJson.ParseNode(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length))!.AsObject();
            hit["_source"] = request.Source.Apply(source);
        }

        if (sort.IsExplicit)
        {
            hit["sort"] = sort.Values(doc);
        }

        return hit;
    }

    /// <summary>
    /// The response as a parsed body, as an HTTP adapter returns it: numbers then read as any
    /// numeric type (<c>GetValue&lt;long&gt;()</c> on a count), whichever type built them.
    /// </summary>
    private static JsonObject AsParsed(JsonObject built)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = JobsJson.MaxDepth }))
        {
            built.WriteTo(writer);
        }

        return JobsJson.ParseNode(buffer.WrittenSpan)!.AsObject();
    }

    private static JsonObject Shards() => new() { ["total"] = 1, ["successful"] = 1, ["skipped"] = 0, ["failed"] = 0 };
}
