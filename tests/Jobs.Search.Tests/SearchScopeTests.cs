using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Search.Policy;

namespace Jobs.Search.Tests;

public class SearchScopeTests
{
    private static readonly SearchCaller Alice = new("alice", IsAdmin: false);

    private static JsonObject Body(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Non_admin_query_is_wrapped_to_their_own_jobs()
    {
        var prepared = SearchScope.PrepareSearch(Body("""{"query":{"term":{"status":"running"}}}"""), Alice);

        var expected = """{"bool":{"must":[{"term":{"status":"running"}}],"filter":[{"term":{"user-id":"alice"}}]}}""";
        Assert.Equal(expected, prepared["query"]!.ToJsonString());
    }

    [Fact]
    public void Non_admin_without_query_gets_match_all_within_their_jobs()
    {
        var prepared = SearchScope.PrepareCount(null, Alice);

        Assert.Equal("""{"match_all":{}}""", prepared["query"]!["bool"]!["must"]![0]!.ToJsonString());
    }

    [Fact]
    public void Admin_query_is_left_as_it_is()
    {
        var prepared = SearchScope.PrepareSearch(Body("""{"query":{"term":{"status":"running"}}}"""), SearchCaller.Admin);

        Assert.Equal("""{"term":{"status":"running"}}""", prepared["query"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""null""", """{"excludes":["token-sha256","idempotency","merge","pending-events","outbox"]}""")]
    [InlineData("""true""", """{"excludes":["token-sha256","idempotency","merge","pending-events","outbox"]}""")]
    [InlineData("""false""", """false""")]
    [InlineData("""["id","status"]""", """{"includes":["id","status"],"excludes":["token-sha256","idempotency","merge","pending-events","outbox"]}""")]
    [InlineData("""{"includes":["*"],"excludes":"events"}""", """{"includes":["*"],"excludes":["events","token-sha256","idempotency","merge","pending-events","outbox"]}""")]
    public void The_token_hash_idempotency_record_and_merge_state_are_always_excluded_from_source(string source, string expected)
    {
        var body = source == "null" ? Body("{}") : Body($$"""{"_source":{{source}}}""");

        var prepared = SearchScope.PrepareSearch(body, SearchCaller.Admin);

        Assert.Equal(expected, prepared["_source"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"query":{"script":{"script":{"source":"true"}}}}""", "script")]
    [InlineData("""{"script_fields":{"x":{"script":"1"}}}""", "script_fields")]
    [InlineData("""{"runtime_mappings":{"x":{"type":"keyword"}}}""", "runtime_mappings")]
    [InlineData("""{"aggs":{"s":{"scripted_metric":{}}}}""", "scripted_metric")]
    [InlineData("""{"query":{"terms":{"labels":{"index":"secrets","id":"1","path":"x"}}}}""", "terms lookup")]
    [InlineData("""{"aggs":{"all":{"global":{}}}}""", "global")]
    [InlineData("""{"fields":["*"]}""", "token-sha256")]
    [InlineData("""{"docvalue_fields":["idempotency.key-sha256"]}""", "idempotency.key-sha256")]
    public void Refuses_scripts_other_indices_and_hidden_fields(string json, string words)
    {
        var e = Assert.Throws<SearchException>(() => SearchScope.PrepareSearch(Body(json), Alice));

        Assert.Equal(400, e.Status);
        Assert.Contains(words, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_top_level_key_is_a_parsing_exception_like_elasticsearch()
    {
        var e = Assert.Throws<SearchException>(() => SearchScope.PrepareSearch(Body("""{"qurey":{}}"""), SearchCaller.Admin));

        Assert.Equal("parsing_exception", e.Type);
        Assert.Equal("Unknown key for a START_OBJECT in [qurey].", e.Reason);
        Assert.Equal("parsing_exception", e.ToResponse()["error"]!["root_cause"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void The_callers_request_object_is_not_modified()
    {
        var body = Body("""{"query":{"match_all":{}}}""");

        SearchScope.PrepareSearch(body, Alice);

        Assert.Equal("""{"query":{"match_all":{}}}""", body.ToJsonString());
    }
}
