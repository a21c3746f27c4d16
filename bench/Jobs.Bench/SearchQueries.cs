using System.Globalization;
using System.Text.Json.Nodes;
using Jobs.Core.Storage;

namespace Jobs.Bench;

/// <summary>One kind of typical query; iteration <c>i</c> varies its parameters deterministically.</summary>
internal sealed record SearchQuery(string Name, Func<IJobStore, int, Task> RunAsync);

/// <summary>The typical queries of docs/BENCHMARKS.md, over a corpus of <c>size</c> jobs.</summary>
internal static class SearchQueries
{
    public static IReadOnlyList<SearchQuery> All(Corpus corpus, int size)
    {
        var first = corpus.CreatedAt(0);
        var last = corpus.CreatedAt(size - 1);
        string[] statuses = ["running", "succeeded", "failed", "submitted"];
        string[] words = ["granule", "calibration", "staging", "retrieval", "orbit", "checksum"];

        return
        [
            new("label + status, sort created desc (size 10)", async (store, i) =>
            {
                var body = Parse($$$"""
                    {"query":{"bool":{"filter":[{"term":{"labels":"{{{Corpus.Labels[i % 8]}}}"}},{"term":{"status":"{{{statuses[i % statuses.Length]}}}"}}]}},
                     "sort":[{"created":"desc"}],"size":10}
                    """);
                Expect((await store.SearchAsync(body, CancellationToken.None))["hits"]!["hits"]!.AsArray().Count > 0, "label + status found nothing");
            }),
            new("date-range count", async (store, i) =>
            {
                // A window of a tenth of the corpus's time span, sliding.
                var span = (last - first) / 10;
                var from = first + (last - first - span) * (i % 10) / 10;
                var body = Parse("{\"query\":{\"range\":{\"created\":{\"gte\":\"" + Iso(from) + "\",\"lt\":\"" + Iso(from + span) + "\"}}}}");
                Expect((long)(await store.CountAsync(body, CancellationToken.None))["count"]! > 0, "date range counted nothing");
            }),
            new("terms aggregation on status", async (store, i) =>
            {
                var body = Parse("""{"size":0,"aggs":{"status":{"terms":{"field":"status"}}}}""");
                Expect((await store.SearchAsync(body, CancellationToken.None))["aggregations"]!["status"]!["buckets"]!.AsArray().Count >= 4, "too few status buckets");
            }),
            new("query_string on message (size 10)", async (store, i) =>
            {
                var body = Parse($$$"""
                    {"query":{"query_string":{"query":"message:({{{words[i % words.Length]}}} AND {{{words[(i + 1) % words.Length]}}})"}},"size":10}
                    """);
                await store.SearchAsync(body, CancellationToken.None);
            }),
            new("deep paging: search_after through 100 pages of 10 (whole walk)", async (store, i) =>
            {
                // One iteration pages through 100 pages; the figure is the whole walk.
                JsonArray? after = null;
                for (var page = 0; page < 100; page++)
                {
                    var body = Parse("""{"sort":[{"created":"desc"},{"id":"asc"}],"size":10,"_source":["id","status","created"]}""");
                    if (after is not null)
                    {
                        body["search_after"] = after.DeepClone();
                    }

                    var hits = (await store.SearchAsync(body, CancellationToken.None))["hits"]!["hits"]!.AsArray();
                    Expect(hits.Count == 10, "a page came back short");
                    after = hits[^1]!["sort"]!.AsArray();
                }
            }),
        ];
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }
}
