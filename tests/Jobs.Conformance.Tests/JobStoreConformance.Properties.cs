using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>
/// Properties of search that hold for every query and sort (FsCheck): search_after paging visits
/// every matching job once, in the order of one big page; a bool filter never reorders what its
/// scoring clauses rank; _count equals an exactly tracked hits.total.
/// </summary>
public abstract partial class JobStoreConformance
{
    private static readonly string[] QueryPool =
    [
        """{"match_all":{}}""",
        """{"term":{"user-id":"bob"}}""",
        """{"terms":{"labels":["red","green"]}}""",
        """{"range":{"created":{"gte":"2026-11-22T10:02:00Z"}}}""",
        """{"exists":{"field":"labels"}}""",
        """{"prefix":{"process-id":"l2"}}""",
        """{"bool":{"must_not":{"term":{"process-id":"l1b-cwl"}}}}""",
        """{"query_string":{"query":"alice OR l2-cwl"}}""",
    ];

    /// <summary>Forty jobs with many ties: four creation minutes, three users, two processes, some labels and inputs.</summary>
    private async Task<IStoreUnderTest> TiedCorpusAsync()
    {
        var store = await StoreAsync();
        string[] users = ["alice", "bob", "carol"];
        string[][] labels = [[], ["red"], ["red", "blue"], ["green"], ["blue"]];
        for (var i = 0; i < 40; i++)
        {
            await store.Jobs.CreateAsync(
                NewJob($"p-{i:D2}", T0.AddMinutes(i % 4), i % 3 == 0 ? "l2-cwl" : "l1b-cwl", "1.0", users[i % 3], i % 5 == 0 ? null : $$"""{"collection":"C{{i % 3}}"}""", labels[i % labels.Length]),
                None);
        }

        await store.RefreshAsync();
        return store;
    }

    private static Gen<JsonArray> SortGen =>
        from keys in Gen.Choose(1, 3)
        from fields in Gen.Shuffle(["created", "user-id", "process-id", "labels", "stop-time", "progress", "inputs.collection"])
        from orders in Gen.ArrayOf(Gen.Elements("asc", "desc"), 4)
        from missing in Gen.ArrayOf(Gen.Elements("_first", "_last"), 4)
        select new JsonArray(
        [
            .. fields.Take(keys).Select((f, i) => (JsonNode)new JsonObject { [f] = new JsonObject { ["order"] = orders[i], ["missing"] = missing[i] } }),
            new JsonObject { ["id"] = orders[3] }, // the unique tiebreaker Elasticsearch asks for
        ]);

    [SkippableFact]
    public async Task Search_after_paging_visits_every_matching_job_once_for_any_sort()
    {
        var store = await TiedCorpusAsync();
        var scenarios = (from sort in SortGen
                         from query in Gen.Elements(QueryPool)
                         from size in Gen.Choose(1, 7)
                         select (Sort: sort, Query: query, Size: size)).ToArbitrary();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(scenarios, scenario =>
        {
            var whole = Ids(Search(store, $$"""{"query":{{scenario.Query}},"sort":{{scenario.Sort.ToJsonString()}},"size":100}"""));
            var paged = new List<string>();
            JsonNode? after = null;
            for (var page = 0; page <= 40; page++)
            {
                var body = Json($$"""{"query":{{scenario.Query}},"sort":{{scenario.Sort.ToJsonString()}},"size":{{scenario.Size}},"track_total_hits":false}""");
                if (after is not null)
                {
                    body["search_after"] = after.DeepClone();
                }

                var hits = Search(store, body.ToJsonString())["hits"]!["hits"]!.AsArray();
                if (hits.Count == 0)
                {
                    break;
                }

                paged.AddRange(hits.Select(h => h!["_id"]!.GetValue<string>()));
                after = hits[^1]!["sort"];
            }

            return paged.SequenceEqual(whole) && paged.Distinct().Count() == paged.Count;
        }));
    }

    [SkippableFact]
    public async Task Bool_filter_never_changes_the_order_given_by_must()
    {
        var store = await StoreAsync();
        await LoadTextCorpusAsync(store);
        string[] scoring =
        [
            """{"match":{"message":"copy"}}""", """{"match":{"message":"copy inputs granule"}}""",
            """{"query_string":{"query":"copy OR granule OR failed"}}""", """{"multi_match":{"query":"inputs granule","fields":["message","status"]}}""",
            """{"bool":{"should":[{"match":{"message":"granule"}},{"match_phrase":{"message":"copy inputs"}}]}}""",
            """{"match_all":{}}""",
        ];
        string[] filters =
        [
            """{"term":{"user-id":"alice"}}""", """{"term":{"user-id":"bob"}}""", """{"exists":{"field":"message"}}""",
            """{"range":{"created":{"gte":"2026-11-22T10:02:00Z"}}}""", """{"terms":{"status":["failed","running"]}}""",
        ];
        var scenarios = (from must in Gen.Elements(scoring) from filter in Gen.Elements(filters) select (must, filter)).ToArbitrary();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(30), Prop.ForAll(scenarios, scenario =>
        {
            var ranked = Ids(Search(store, $$"""{"query":{{scenario.must}},"size":100}"""));
            var allowed = Ids(Search(store, "{\"query\":{\"constant_score\":{\"filter\":" + scenario.filter + "}},\"size\":100}")).ToHashSet();
            var filtered = Ids(Search(store, "{\"query\":{\"bool\":{\"must\":" + scenario.must + ",\"filter\":" + scenario.filter + "}},\"size\":100}"));
            return filtered.SequenceEqual(ranked.Where(allowed.Contains));
        }));
    }

    [SkippableFact]
    public async Task Count_equals_hits_total_when_total_hits_are_tracked()
    {
        var store = await TiedCorpusAsync();
        var clause = Gen.Elements(QueryPool);
        var queries = (from must in Gen.ListOf(clause, 2)
                       from should in Gen.ListOf(clause, 2)
                       from mustNot in Gen.ListOf(clause, 1)
                       from filter in Gen.ListOf(clause, 1)
                       select "{\"bool\":{\"must\":[" + string.Join(",", must.Take(1)) + "],\"should\":[" + string.Join(",", should) + "],\"must_not\":["
                           + string.Join(",", mustNot.Take(1)) + "],\"filter\":[" + string.Join(",", filter) + "]}}").ToArbitrary();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(queries, query =>
        {
            var count = store.Jobs.CountAsync(Json($$"""{"query":{{query}}}"""), None).GetAwaiter().GetResult()["count"]!.GetValue<long>();
            var total = Search(store, $$"""{"query":{{query}},"size":0,"track_total_hits":true}""")["hits"]!["total"]!;
            return count == total["value"]!.GetValue<long>() && total["relation"]!.GetValue<string>() == "eq";
        }));
    }

    private static JsonObject Search(IStoreUnderTest store, string body) =>
        store.Jobs.SearchAsync(Json(body), None).GetAwaiter().GetResult();
}
