using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>
/// The query DSL on the fixed corpus of <see cref="TestData.LoadCorpusAsync"/>: expected ids in
/// order (every query sorts by <c>created</c> unless it tests sorting). References are to the
/// Elasticsearch Query DSL reference, section named in each test.
/// </summary>
public abstract partial class JobStoreConformance
{
    private async Task<(IStoreUnderTest Store, List<string> Ids)> CorpusAsync()
    {
        var store = await StoreAsync();
        var ids = await LoadCorpusAsync(store);
        return (store, [.. ids]);
    }

    /// <summary>Runs <paramref name="query"/> sorted by created ascending and returns the hit ids.</summary>
    private static async Task<List<string>> QueryIdsAsync(IStoreUnderTest store, string query)
    {
        var response = await store.Jobs.SearchAsync(Json($$"""{"query":{{query}},"sort":[{"created":"asc"}],"size":100}"""), None);
        return Ids(response);
    }

    [SkippableTheory]
    // Query DSL > Match all query
    [InlineData("""{"match_all":{}}""", "job-1,job-2,job-3,job-4,job-5")]
    // Query DSL > Match none
    [InlineData("""{"match_none":{}}""", "")]
    // Term-level queries > Term query (keyword, array field, short and long forms)
    [InlineData("""{"term":{"status":"running"}}""", "job-2")]
    [InlineData("""{"term":{"labels":"red"}}""", "job-1,job-2")]
    [InlineData("""{"term":{"process-id":{"value":"l2-cwl","boost":2.0}}}""", "job-3,job-4")]
    // Term query on an integer and a double field
    [InlineData("""{"term":{"progress":40}}""", "job-2")]
    [InlineData("""{"term":{"duration":60}}""", "job-3")]
    // Term query on a text field: the term is not analysed, the indexed tokens are lower-cased
    [InlineData("""{"term":{"message":"copying"}}""", "job-2")]
    [InlineData("""{"term":{"message":"Copying"}}""", "")]
    [InlineData("""{"term":{"message.keyword":"Copying inputs to scratch"}}""", "job-2")]
    [InlineData("""{"term":{"error.message":"l1b"}}""", "job-4")]
    [InlineData("""{"term":{"error.type":"workflow-failed"}}""", "job-4")]
    // Term query on an unmapped field matches nothing
    [InlineData("""{"term":{"no-such-field":"x"}}""", "")]
    // Term-level queries > Terms query
    [InlineData("""{"terms":{"status":["succeeded","failed","nope"]}}""", "job-3,job-4")]
    [InlineData("""{"terms":{"user-id":["bob"],"boost":1.5}}""", "job-2,job-5")]
    // Term-level queries > IDs
    [InlineData("""{"ids":{"values":["job-4","job-2","nope"]}}""", "job-2,job-4")]
    // Term-level queries > Exists query (object field, sub-field, unmapped field)
    [InlineData("""{"exists":{"field":"error"}}""", "job-4")]
    [InlineData("""{"exists":{"field":"progress"}}""", "job-2,job-3")]
    [InlineData("""{"exists":{"field":"labels"}}""", "job-1,job-2,job-3,job-5")]
    [InlineData("""{"exists":{"field":"outputs"}}""", "job-3")]
    [InlineData("""{"exists":{"field":"no-such-field"}}""", "")]
    // Field data types > Flattened: the root matches any leaf, a key path matches that key; numbers and booleans as keywords
    [InlineData("""{"term":{"inputs":"C2"}}""", "job-2")]
    [InlineData("""{"term":{"inputs.collection":"C1"}}""", "job-1,job-3")]
    [InlineData("""{"term":{"inputs.region.lat":10}}""", "job-1")]
    [InlineData("""{"term":{"inputs.region.lat":"20"}}""", "job-5")]
    [InlineData("""{"term":{"inputs.flag":true}}""", "job-3")]
    [InlineData("""{"terms":{"inputs.collection":["C2","C9"]}}""", "job-2")]
    [InlineData("""{"exists":{"field":"inputs.region.lat"}}""", "job-1,job-5")]
    [InlineData("""{"term":{"outputs.output":"s3://bucket/out.nc"}}""", "job-3")]
    public async Task Term_level_queries_find_the_expected_jobs(string query, string expected)
    {
        var (store, _) = await CorpusAsync();

        Assert.Equal(Expected(expected), await QueryIdsAsync(store, query));
    }

    [SkippableTheory]
    // Term-level queries > Range query: integer and double fields
    [InlineData("""{"range":{"progress":{"gte":40,"lt":100}}}""", "job-2")]
    [InlineData("""{"range":{"progress":{"gt":40}}}""", "job-3")]
    [InlineData("""{"range":{"progress":{"gte":"39.5","lte":40.5}}}""", "job-2")]
    [InlineData("""{"range":{"duration":{"gt":30}}}""", "job-3")]
    [InlineData("""{"range":{"duration":{"gte":30,"lte":30}}}""", "job-4")]
    // Range on keyword fields compares strings
    [InlineData("""{"range":{"process-id":{"gte":"l2"}}}""", "job-3,job-4")]
    [InlineData("""{"range":{"user-id":{"gt":"alice","lt":"carol"}}}""", "job-2,job-5")]
    // Field data types > Flattened: range on a key compares its values as strings (both bounds required)
    [InlineData("""{"range":{"inputs.region.lat":{"gte":"15","lt":"9"}}}""", "job-5")]
    // Range on dates: strict_date_optional_time, date-only bounds, epoch_millis
    [InlineData("""{"range":{"created":{"gte":"2026-11-23T10:00:00Z","lt":"2026-11-25T10:00:00Z"}}}""", "job-3,job-4")]
    [InlineData("""{"range":{"created":{"gte":"2026-11-23","lt":"2026-11-25"}}}""", "job-3,job-4")]
    [InlineData("""{"range":{"created":{"gte":1795428000000}}}""", "job-3,job-4,job-5")]
    [InlineData("""{"range":{"created":{"gte":"1795428000000"}}}""", "job-3,job-4,job-5")]
    // Range query > Missing date components: lte and gt fill a missing time of day with 23:59:59.999
    [InlineData("""{"range":{"created":{"lte":"2026-11-23"}}}""", "job-1,job-2,job-3")]
    [InlineData("""{"range":{"created":{"gt":"2026-11-23"}}}""", "job-4,job-5")]
    // Range query > Date math and rounding: gt rounds up, gte rounds down, lt rounds down, lte rounds up
    [InlineData("""{"range":{"created":{"gt":"2026-11-23T05:00:00Z||/d"}}}""", "job-4,job-5")]
    [InlineData("""{"range":{"created":{"gte":"2026-11-23T15:00:00Z||/d"}}}""", "job-3,job-4,job-5")]
    [InlineData("""{"range":{"created":{"lt":"2026-11-23T15:00:00Z||/d"}}}""", "job-1,job-2")]
    [InlineData("""{"range":{"created":{"lte":"2026-11-22T10:00:00Z||+1d/d"}}}""", "job-1,job-2,job-3")]
    [InlineData("""{"range":{"created":{"gte":"2026-11-22T10:00:00Z||+1M-1M+2d"}}}""", "job-4,job-5")]
    // Range query > time_zone: bounds without an offset are read in that zone
    [InlineData("""{"range":{"created":{"gte":"2026-11-22T12:00:00","time_zone":"+02:00"}}}""", "job-1,job-2,job-3,job-4,job-5")]
    [InlineData("""{"range":{"created":{"gt":"2026-11-22T12:00:00","time_zone":"+02:00"}}}""", "job-2,job-3,job-4,job-5")]
    // Range query > format
    [InlineData("""{"range":{"created":{"gte":"23/11/2026","lt":"25/11/2026","format":"dd/MM/yyyy"}}}""", "job-3,job-4")]
    // Range on an unmapped field matches nothing
    [InlineData("""{"range":{"no-such-field":{"gte":1}}}""", "")]
    public async Task Range_queries_find_the_expected_jobs(string query, string expected)
    {
        var (store, _) = await CorpusAsync();

        Assert.Equal(Expected(expected), await QueryIdsAsync(store, query));
    }

    [SkippableTheory]
    // Compound queries > Boolean query: filter + must_not, must, should with minimum_should_match, must_not only
    [InlineData("""{"bool":{"filter":[{"term":{"process-id":"l1b-cwl"}}],"must_not":[{"term":{"status":"dismissed"}}]}}""", "job-1,job-2")]
    [InlineData("""{"bool":{"must":{"term":{"user-id":"alice"}},"filter":{"range":{"created":{"gte":"2026-11-23"}}}}}""", "job-3")]
    [InlineData("""{"bool":{"should":[{"term":{"labels":"red"}},{"term":{"labels":"blue"}}]}}""", "job-1,job-2,job-5")]
    [InlineData("""{"bool":{"should":[{"term":{"labels":"red"}},{"term":{"labels":"blue"}}],"minimum_should_match":2}}""", "job-1")]
    [InlineData("""{"bool":{"filter":[{"term":{"user-id":"bob"}}],"should":[{"term":{"labels":"nope"}}]}}""", "job-2,job-5")]
    [InlineData("""{"bool":{"filter":[{"term":{"user-id":"bob"}}],"should":[{"term":{"labels":"nope"}}],"minimum_should_match":1}}""", "")]
    [InlineData("""{"bool":{"must_not":[{"exists":{"field":"labels"}}]}}""", "job-4")]
    [InlineData("""{"bool":{"must":[{"bool":{"should":[{"term":{"status":"running"}},{"term":{"status":"failed"}}]}}],"must_not":{"term":{"user-id":"carol"}}}}""", "job-2")]
    [InlineData("""{"bool":{}}""", "job-1,job-2,job-3,job-4,job-5")]
    public async Task Bool_queries_combine_clauses_as_elasticsearch_does(string query, string expected)
    {
        var (store, _) = await CorpusAsync();

        Assert.Equal(Expected(expected), await QueryIdsAsync(store, query));
    }

    [SkippableFact]
    public async Task Range_with_date_math_relative_to_now_finds_recent_jobs()
    {
        // Range query > Date math: now-1h
        var store = await StoreAsync();
        var now = DateTimeOffset.UtcNow;
        await store.Jobs.CreateAsync(NewJob("recent", now.AddMinutes(-30)), None);
        await store.Jobs.CreateAsync(NewJob("older", now.AddHours(-2)), None);
        await store.Jobs.CreateAsync(NewJob("yesterday", now.AddDays(-1).AddHours(-1)), None);
        await store.RefreshAsync();

        Assert.Equal(["recent"], await QueryIdsAsync(store, """{"range":{"created":{"gte":"now-1h"}}}"""));
        Assert.Equal(["yesterday", "older", "recent"], await QueryIdsAsync(store, """{"range":{"created":{"gt":"now-3d/d","lte":"now"}}}"""));
        Assert.Equal(["yesterday"], await QueryIdsAsync(store, """{"range":{"created":{"lt":"now-1d"}}}"""));
    }

    [SkippableFact]
    public async Task Search_sees_creates_and_updates_made_just_before()
    {
        var store = await StoreAsync();
        await store.Jobs.CreateAsync(NewJob("job-a"), None);
        if (!store.SearchIsRealtime)
        {
            await store.RefreshAsync();
        }

        Assert.Equal(["job-a"], await QueryIdsAsync(store, """{"term":{"status":"submitted"}}"""));

        await store.Jobs.ApplyAsync([Update("job-a", "u1", T0.AddSeconds(1), JobStatus.Running)], None);
        if (!store.SearchIsRealtime)
        {
            await store.RefreshAsync();
        }

        Assert.Equal(["job-a"], await QueryIdsAsync(store, """{"term":{"status":"running"}}"""));
        Assert.Empty(await QueryIdsAsync(store, """{"term":{"status":"submitted"}}"""));
    }

    [SkippableTheory]
    // Query DSL: an unknown query type, a query that is not an object, two queries in one object
    [InlineData("""{"query":{"no_such_query":{}}}""", "parsing_exception", "no_such_query")]
    [InlineData("""{"query":{"term":"x"}}""", "parsing_exception", "term")]
    [InlineData("""{"query":{"term":{"status":"x"},"match_all":{}}}""", "parsing_exception", "term")]
    // Paginate search results: from + size may not pass index.max_result_window (10,000)
    [InlineData("""{"from":9995,"size":10}""", "illegal_argument_exception", "Result window is too large, from + size must be less than or equal to: [10000] but was [10005]")]
    // Sort on a text field needs fielddata
    [InlineData("""{"sort":[{"message":"asc"}]}""", "illegal_argument_exception", "Fielddata is disabled on [message]")]
    // Terms aggregation on a text field needs fielddata
    [InlineData("""{"aggs":{"m":{"terms":{"field":"message"}}}}""", "illegal_argument_exception", "Fielddata is disabled on [message]")]
    public async Task Invalid_search_is_refused_with_an_elasticsearch_error(string body, string type, string reasonPart)
    {
        var (store, _) = await CorpusAsync();

        var error = await Assert.ThrowsAsync<Core.Search.SearchException>(() => store.Jobs.SearchAsync(Json(body), None));

        var (rootType, rootReason) = RootCause(error);
        Assert.Equal(type, rootType);
        Assert.Equal(400, error.Status);
        Assert.Contains(reasonPart, rootReason, StringComparison.Ordinal);
    }

    private static List<string> Expected(string csv) => csv.Length == 0 ? [] : [.. csv.Split(',')];

    private static JsonArray Hits(JsonObject response) => response["hits"]!["hits"]!.AsArray();
}
