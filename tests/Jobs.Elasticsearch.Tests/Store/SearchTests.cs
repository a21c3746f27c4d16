using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Tests.Support;

namespace Jobs.Elasticsearch.Tests.Store;

public sealed class SearchTests : IAsyncLifetime
{
    private const string SearchAnswer = """
        {"took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"total":{"value":1,"relation":"eq"},"max_score":null,"hits":[{"_index":"jobs-000001","_id":"j1","_score":null,"_source":{"id":"j1","status":"running","labels":["reprocessing-3"]},"sort":[1795345200000,"j1"]}]},"aggregations":{"by_status":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"running","doc_count":1}]}}}
        """;

    private readonly StoreHarness _harness = new();

    private EsServer Es => _harness.Es;

    public Task InitializeAsync() => _harness.StartAsync();

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Search_posts_the_callers_body_to_the_jobs_alias_and_returns_the_answer_unchanged()
    {
        const string body = """{"query":{"bool":{"filter":[{"term":{"labels":"reprocessing-3"}},{"terms":{"status":["running","submitted"]}}]}},"sort":[{"created":"desc"},{"id":"asc"}],"size":20,"aggs":{"by_status":{"terms":{"field":"status"}}},"_source":{"excludes":["token-sha256"]}}""";
        Es.On("POST", "/jobs/_search", 200, SearchAnswer);

        var answer = await _harness.Jobs.SearchAsync(JsonNode.Parse(body)!.AsObject(), CancellationToken.None);

        var request = Assert.Single(Es.Requests);
        Assert.Equal("POST /jobs/_search", request.Line);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal(body, request.Body);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SearchAnswer), answer));
    }

    [Fact]
    public async Task A_query_the_cluster_refuses_becomes_a_search_exception_carrying_the_clusters_error_unchanged()
    {
        const string error = """
            {"error":{"root_cause":[{"type":"query_shard_exception","reason":"failed to create query: For input string: \"soon\"","index_uuid":"kQz4Hk0pT1m2","index":"jobs-000001"}],"type":"search_phase_execution_exception","reason":"all shards failed","phase":"query","grouped":true,"failed_shards":[{"shard":0,"index":"jobs-000001","node":"n1","reason":{"type":"query_shard_exception","reason":"failed to create query: For input string: \"soon\"","index_uuid":"kQz4Hk0pT1m2","index":"jobs-000001","caused_by":{"type":"number_format_exception","reason":"For input string: \"soon\""}}}]},"status":400}
            """;
        Es.On("POST", "/jobs/_search", 400, error);

        var e = await Assert.ThrowsAsync<SearchException>(() =>
            _harness.Jobs.SearchAsync(JsonNode.Parse("""{"query":{"term":{"progress":"soon"}}}""")!.AsObject(), CancellationToken.None));

        Assert.Equal("search_phase_execution_exception", e.Type);
        Assert.Equal("all shards failed", e.Reason);
        Assert.Equal(400, e.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(error), e.ToResponse()));
        Assert.Single(Es.Requests); // a 400 is never retried
    }

    [Fact]
    public async Task A_search_on_a_missing_jobs_index_is_a_store_outage_not_the_callers_error()
    {
        Es.On("POST", "/jobs/_search", 404, EsAnswers.IndexNotFound("jobs"));

        await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            _harness.Jobs.SearchAsync(new JsonObject { ["query"] = new JsonObject { ["match_all"] = new JsonObject() } }, CancellationToken.None));
    }

    [Fact]
    public async Task A_search_shed_with_429_is_retried_with_backoff_and_then_answered()
    {
        Es.OnSequence("POST", "/jobs/_search", (429, EsAnswers.TooManyRequests), (429, EsAnswers.TooManyRequests), (200, SearchAnswer));

        var answer = await _harness.Jobs.SearchAsync(new JsonObject(), CancellationToken.None);

        Assert.Equal(1, answer["hits"]!["total"]!["value"]!.GetValue<int>());
        Assert.Equal(3, Es.Requests.Count);
        Assert.All(Es.Requests, r => Assert.Equal("{}", r.Body));
    }

    [Fact]
    public async Task Count_without_a_query_posts_no_body()
    {
        Es.On("POST", "/jobs/_count", 200, """{"count":42,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""");

        var answer = await _harness.Jobs.CountAsync(null, CancellationToken.None);

        Assert.Equal(42, answer["count"]!.GetValue<int>());
        var request = Assert.Single(Es.Requests);
        Assert.Equal("POST /jobs/_count", request.Line);
        Assert.True(string.IsNullOrEmpty(request.Body));
    }

    [Fact]
    public async Task Count_posts_the_query_as_given()
    {
        Es.On("POST", "/jobs/_count", 200, """{"count":3,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""");

        await _harness.Jobs.CountAsync(JsonNode.Parse("""{"query":{"term":{"status":"failed"}}}""")!.AsObject(), CancellationToken.None);

        Assert.Equal("""{"query":{"term":{"status":"failed"}}}""", Es.Requests.Single().Body);
    }

    [Fact]
    public async Task Count_refused_by_the_cluster_is_a_search_exception()
    {
        Es.On("POST", "/jobs/_count", 400, """
            {"error":{"root_cause":[{"type":"parsing_exception","reason":"unknown query [termz]","line":1,"col":19}],"type":"parsing_exception","reason":"unknown query [termz]","line":1,"col":19,"caused_by":{"type":"named_object_not_found_exception","reason":"[1:19] unknown field [termz]"}},"status":400}
            """);

        var e = await Assert.ThrowsAsync<SearchException>(() =>
            _harness.Jobs.CountAsync(JsonNode.Parse("""{"query":{"termz":{}}}""")!.AsObject(), CancellationToken.None));

        Assert.Equal(("parsing_exception", "unknown query [termz]", 400), (e.Type, e.Reason, e.Status));
    }

    [Fact]
    public async Task Mapping_is_returned_keyed_by_the_concrete_index_as_the_cluster_reports_it()
    {
        var mapping = EsAnswers.MappingOf("jobs-000001", JobsMapping.Load());
        Es.On("GET", "/jobs/_mapping", 200, mapping, priority: 1);

        var answer = await _harness.Jobs.GetMappingAsync(CancellationToken.None);

        Assert.Equal(["GET /jobs/_mapping"], Es.Requests.Select(r => r.Line));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(mapping), answer));
    }
}
