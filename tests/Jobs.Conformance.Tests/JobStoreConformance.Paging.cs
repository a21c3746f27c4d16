using System.Text.Json.Nodes;
using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>Sort, from/size, search_after, track_total_hits, _source filtering and _count.</summary>
public abstract partial class JobStoreConformance
{
    private static async Task<JsonObject> SearchAsync(IStoreUnderTest store, string body) =>
        await store.Jobs.SearchAsync(Json(body), None);

    [SkippableTheory]
    // Sort search results: numeric desc with missing values last, id as tiebreaker
    [InlineData("""[{"progress":"desc"},{"id":"asc"}]""", "job-3,job-2,job-1,job-4,job-5")]
    [InlineData("""[{"progress":{"order":"asc"}},{"id":"desc"}]""", "job-2,job-3,job-5,job-4,job-1")]
    [InlineData("""[{"progress":{"order":"asc","missing":"_first"}},{"id":"asc"}]""", "job-1,job-4,job-5,job-2,job-3")]
    // Sort mode: a multi-valued keyword sorts by its lowest value ascending and its highest descending
    [InlineData("""[{"labels":"asc"},{"id":"asc"}]""", "job-1,job-5,job-3,job-2,job-4")]
    [InlineData("""[{"labels":"desc"},{"id":"asc"}]""", "job-1,job-2,job-3,job-5,job-4")]
    // Dates and keywords; a bare field name sorts ascending
    [InlineData("""[{"created":"desc"}]""", "job-5,job-4,job-3,job-2,job-1")]
    [InlineData("""["user-id","id"]""", "job-1,job-3,job-2,job-5,job-4")]
    [InlineData("""[{"duration":"desc"},{"id":"asc"}]""", "job-3,job-4,job-1,job-2,job-5")]
    public async Task Sort_orders_hits_as_elasticsearch_does(string sort, string expected)
    {
        var (store, _) = await CorpusAsync();

        var response = await SearchAsync(store, $$"""{"sort":{{sort}}}""");

        Assert.Equal(expected.Split(','), Ids(response));
    }

    [SkippableFact]
    public async Task Field_sort_reports_sort_values_and_null_scores()
    {
        var (store, _) = await CorpusAsync();

        var response = await SearchAsync(store, """{"sort":[{"created":"desc"},{"id":"desc"}],"size":1}""");

        var hit = Hits(response).Single()!;
        Assert.Null(response["hits"]!["max_score"]);
        Assert.Null(hit["_score"]);
        Assert.Equal(Millis(T0.AddDays(3)), hit["sort"]![0]!.GetValue<long>());
        Assert.Equal("job-5", hit["sort"]![1]!.GetValue<string>());
        Assert.Equal("job-5", hit["_source"]!["id"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Relevance_sort_reports_scores_and_max_score()
    {
        var (store, _) = await CorpusAsync();

        var response = await SearchAsync(store, """{"query":{"term":{"labels":"red"}}}""");

        Assert.Equal(2, Hits(response).Count);
        Assert.All(Hits(response), h => Assert.True(h!["_score"]!.GetValue<double>() > 0));
        Assert.True(response["hits"]!["max_score"]!.GetValue<double>() > 0);
        Assert.Null(Hits(response)[0]!["sort"]);
    }

    [SkippableFact]
    public async Task From_and_size_page_through_sorted_hits()
    {
        var (store, _) = await CorpusAsync();

        var response = await SearchAsync(store, """{"sort":[{"created":"asc"}],"from":1,"size":2}""");

        Assert.Equal(["job-2", "job-3"], Ids(response));
        Assert.Equal(5, response["hits"]!["total"]!["value"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task Search_after_visits_every_job_once_in_sort_order()
    {
        // Paginate search results > search_after, with ties on the first sort key broken by id.
        var store = await StoreAsync();
        var expected = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            var id = $"job-{i:D2}";
            await store.Jobs.CreateAsync(NewJob(id, T0.AddMinutes(i / 3)), None);
            expected.Add(id);
        }

        await store.RefreshAsync();
        expected.Reverse();

        var seen = new List<string>();
        JsonNode? after = null;
        for (var page = 0; page < 20; page++)
        {
            var body = Json("""{"size":4,"sort":[{"created":"desc"},{"id":"desc"}],"_source":{"excludes":["token-sha256"]},"track_total_hits":false}""");
            if (after is not null)
            {
                body["search_after"] = after.DeepClone();
            }

            var response = await store.Jobs.SearchAsync(body, None);
            var hits = Hits(response);
            Assert.Null(response["hits"]!["total"]);
            if (hits.Count == 0)
            {
                break;
            }

            seen.AddRange(hits.Select(h => h!["_id"]!.GetValue<string>()));
            after = hits[^1]!["sort"];
        }

        Assert.Equal(expected, seen);
    }

    [SkippableTheory]
    // Search your data > track_total_hits: true (exact), a number (lower bound past it), false (omitted)
    [InlineData("true", 5, "eq")]
    [InlineData("2", 2, "gte")]
    [InlineData("5", 5, "eq")]
    [InlineData("false", -1, null)]
    public async Task Track_total_hits_controls_the_total(string track, int value, string? relation)
    {
        var (store, _) = await CorpusAsync();

        var response = await SearchAsync(store, $$"""{"size":0,"track_total_hits":{{track}}}""");

        var total = response["hits"]!["total"];
        if (relation is null)
        {
            Assert.Null(total);
            return;
        }

        Assert.Equal(value, total!["value"]!.GetValue<int>());
        Assert.Equal(relation, total["relation"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Response_has_the_elasticsearch_search_shape()
    {
        var (store, _) = await CorpusAsync();

        var response = await SearchAsync(store, """{"query":{"ids":{"values":["job-1"]}}}""");

        Assert.True(response["took"]!.GetValue<long>() >= 0);
        Assert.False(response["timed_out"]!.GetValue<bool>());
        Assert.Equal(0, response["_shards"]!["failed"]!.GetValue<int>());
        var hit = Hits(response).Single()!;
        Assert.Equal("job-1", hit["_id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(hit["_index"]!.GetValue<string>()));
        Assert.Equal("job-1", hit["_source"]!["id"]!.GetValue<string>());
        Assert.Equal(["red", "blue"], hit["_source"]!["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [SkippableTheory]
    // Retrieve selected fields > _source filtering: a list, a wildcard, includes + excludes, false
    [InlineData("""["id","status"]""", "id,status")]
    [InlineData("\"process-*\"", "process-id,process-version")]
    [InlineData("""{"includes":["error"],"excludes":["error.message"]}""", "error")]
    [InlineData("""{"includes":["inputs.region.*","id"]}""", "id,inputs")]
    [InlineData("""{"excludes":["events","merge","request","inputs","outputs","token-sha256","labels","*-time","updated","created","error","progress","stage","message","duration"]}""", "id,process-id,process-version,status,user-id")]
    [InlineData("false", "")]
    public async Task Source_filtering_returns_only_the_chosen_fields(string source, string expectedKeys)
    {
        var (store, _) = await CorpusAsync();

        var response = await SearchAsync(store, """{"query":{"ids":{"values":["job-4","job-1"]}},"sort":[{"created":"asc"}],"_source":""" + source + "}");

        var hits = Hits(response);
        var sourceOf4 = hits[1]!["_source"];
        if (expectedKeys.Length == 0)
        {
            Assert.Null(sourceOf4);
            Assert.Equal("job-4", hits[1]!["_id"]!.GetValue<string>());
            return;
        }

        Assert.Equal(expectedKeys.Split(',').Where(k => k != "inputs").Order(), sourceOf4!.AsObject().Select(p => p.Key).Where(k => k != "inputs").Order());
        if (source.Contains("error.message", StringComparison.Ordinal))
        {
            Assert.Equal("""{"type":"workflow-failed"}""", sourceOf4["error"]!.ToJsonString());
        }

        if (source.Contains("inputs.region", StringComparison.Ordinal))
        {
            Assert.Equal("""{"region":{"lat":10,"name":"north"}}""", hits[0]!["_source"]!["inputs"]!.ToJsonString());
        }
    }

    [SkippableFact]
    public async Task Count_equals_the_exact_total_of_the_same_query()
    {
        var (store, _) = await CorpusAsync();
        const string query = """{"bool":{"should":[{"term":{"labels":"red"}},{"term":{"status":"failed"}}]}}""";

        var count = await store.Jobs.CountAsync(Json($$"""{"query":{{query}}}"""), None);
        var search = await SearchAsync(store, $$"""{"query":{{query}},"track_total_hits":true,"size":0}""");

        Assert.Equal(3, count["count"]!.GetValue<int>());
        Assert.Equal(count["count"]!.GetValue<int>(), search["hits"]!["total"]!["value"]!.GetValue<int>());
        Assert.NotNull(count["_shards"]);
        Assert.Equal(5, (await store.Jobs.CountAsync(null, None))["count"]!.GetValue<int>());
    }
}
