using System.Net;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests;

/// <summary>The Elasticsearch-compatible surface on a host of its own, so counts are exact.</summary>
public class SearchTests : IClassFixture<SearchTests.Fixture>
{
    private readonly HttpClient _client;
    private readonly Fixture _data;

    public SearchTests(Fixture data)
    {
        _data = data;
        _client = data.Factory.CreateClient();
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public JobsApiFactory Factory { get; } = new();

        public List<string> Ids { get; } = [];

        public async Task InitializeAsync()
        {
            var client = Factory.CreateClient();
            await client.DeployAsync("search", "1");
            for (var i = 0; i < 5; i++)
            {
                var (id, token) = await client.ExecuteAsync("search:1", i % 2 == 0 ? ["even", "re-processing-3"] : ["odd"]);
                Ids.Add(id);
                if (i < 3)
                {
                    await client.UpdateAsync(id, token, "\"status\":\"running\"");
                }
            }
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Search_by_label_with_the_dsl()
    {
        var result = await _client.SearchAsync("""{"query":{"term":{"labels":"re-processing-3"}},"sort":[{"created":"asc"}]}""");

        Assert.Equal([_data.Ids[0], _data.Ids[2], _data.Ids[4]], ApiCalls.HitIds(result));
        Assert.Equal(3, result["hits"]!["total"]!["value"]!.GetValue<int>());
    }

    [Fact]
    public async Task Search_body_sent_as_a_form_is_refused_with_406_like_elasticsearch()
    {
        // curl -d without -H sends application/x-www-form-urlencoded: a type a web page can send
        // cross-site without a preflight. Elasticsearch refuses it the same way.
        var response = await _client.PostAsync("/jobs/_search", new StringContent("""{"query":{"term":{"labels":"odd"}}}""", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(406, error["status"]!.GetValue<int>());
        Assert.Contains("application/x-www-form-urlencoded", error["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_body_in_the_elasticsearch_clients_media_type_is_read()
    {
        var content = new StringContent("""{"query":{"term":{"labels":"odd"}}}""", System.Text.Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/vnd.elasticsearch+json; compatible-with=8");
        var response = await _client.PostAsync("/jobs/_search", content);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal([_data.Ids[1], _data.Ids[3]], ApiCalls.HitIds(JsonNode.Parse(await response.Content.ReadAsStringAsync())!).Order());
    }

    [Fact]
    public async Task Aggregate_by_status()
    {
        var result = await _client.SearchAsync("""{"size":0,"aggs":{"by_status":{"terms":{"field":"status"}}}}""");

        var buckets = result["aggregations"]!["by_status"]!["buckets"]!.AsArray()
            .ToDictionary(b => b!["key"]!.GetValue<string>(), b => b!["doc_count"]!.GetValue<int>());
        Assert.Equal(new Dictionary<string, int> { ["running"] = 3, ["submitted"] = 2 }, buckets);
    }

    [Fact]
    public async Task Count_with_a_query_and_with_q()
    {
        var response = await _client.PostAsync("/jobs/_count", ApiCalls.Json("""{"query":{"term":{"status":"running"}}}"""));
        var count = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(3, count["count"]!.GetValue<int>());
        Assert.Equal(5, (await _client.GetJsonAsync("/jobs/_count"))["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Uri_parameters_shape_a_search()
    {
        var result = await _client.GetJsonAsync("/jobs/_search?size=2&sort=created:desc&_source=id,status");

        // Jobs created in the same millisecond tie, in either order: compare creation times.
        var created = new Dictionary<string, DateTimeOffset>();
        foreach (var id in _data.Ids)
        {
            created[id] = (await _client.GetJsonAsync($"/jobs/_doc/{id}"))["_source"]!["created"]!.GetValue<DateTimeOffset>();
        }

        Assert.Equal(created.Values.OrderDescending().Take(2), ApiCalls.HitIds(result).Select(id => created[id]));
        Assert.Equal(["id", "status"], result["hits"]!["hits"]![0]!["_source"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task The_token_hash_never_leaves_the_api()
    {
        var search = await _client.SearchAsync("""{"query":{"match_all":{}},"_source":["*"]}""");
        var doc = await _client.GetJsonAsync($"/jobs/_doc/{_data.Ids[0]}");

        Assert.DoesNotContain("token-sha256", search.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("token-sha256", doc.ToJsonString(), StringComparison.Ordinal);
        Assert.True(doc["found"]!.GetValue<bool>());
        Assert.Equal(_data.Ids[0], doc["_source"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_document_is_found_false_with_404()
    {
        var (status, body) = await _client.SendAsync(HttpMethod.Get, "/jobs/_doc/nope");

        Assert.Equal(404, status);
        Assert.False(body!["found"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Mapping_is_the_explicit_strict_mapping()
    {
        var mapping = await _client.GetJsonAsync("/jobs/_mapping");

        var mappings = mapping.AsObject().Single().Value!["mappings"]!;
        Assert.Equal("strict", mappings["dynamic"]!.GetValue<string>());
        Assert.Equal("keyword", mappings["properties"]!["labels"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("labels:odd", new[] { 1, 3 })]
    [InlineData("odd", new[] { 1, 3 })]
    [InlineData("even AND running", new[] { 0, 2 })]
    [InlineData("status:running AND NOT labels:even", new[] { 1 })]
    [InlineData("re-processing*", new[] { 0, 2, 4 })]
    [InlineData("_exists_:labels AND -status:running", new[] { 3, 4 })]
    public async Task Uri_search_q_is_a_query_string_over_every_field(string q, int[] expected)
    {
        var result = await _client.GetJsonAsync($"/jobs/_search?q={Uri.EscapeDataString(q)}&sort=created:asc");

        Assert.Equal(expected.Select(i => _data.Ids[i]), ApiCalls.HitIds(result));
    }

    [Fact]
    public async Task Uri_search_q_takes_df_and_default_operator()
    {
        var and = await _client.GetJsonAsync("/jobs/_search?q=even%20running&default_operator=AND&sort=created:asc");
        var labelsOnly = await _client.GetJsonAsync("/jobs/_search?q=running&df=labels");

        Assert.Equal([_data.Ids[0], _data.Ids[2]], ApiCalls.HitIds(and));
        Assert.Empty(ApiCalls.HitIds(labelsOnly));
    }

    [Fact]
    public async Task Count_with_q_counts_the_query_string_matches()
    {
        var count = await _client.GetJsonAsync("/jobs/_count?q=odd");

        Assert.Equal(2, count["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Uri_search_q_with_bad_syntax_is_a_400_naming_the_query()
    {
        var (status, error) = await _client.SendAsync(HttpMethod.Get, "/jobs/_search?q=" + Uri.EscapeDataString("status:(running"));

        // As Elasticsearch: a shard failure, its cause in root_cause.
        Assert.Equal(400, status);
        Assert.Equal("search_phase_execution_exception", error!["error"]!["type"]!.GetValue<string>());
        Assert.Equal("query_shard_exception", error["error"]!["root_cause"]![0]!["type"]!.GetValue<string>());
        Assert.Contains("status:(running", error["error"]!["root_cause"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Full_dsl_runs_through_the_api_with_aggregations()
    {
        var result = await _client.SearchAsync("""
            {"size":0,"query":{"match":{"labels":"even"}},
             "aggs":{"per_day":{"date_histogram":{"field":"created","fixed_interval":"3650d"},"aggs":{"s":{"terms":{"field":"status"}}}},
                     "users":{"cardinality":{"field":"user-id"}}}}
            """);

        var day = result["aggregations"]!["per_day"]!["buckets"]!.AsArray().Single()!;
        Assert.Equal(3, day["doc_count"]!.GetValue<int>());
        Assert.Equal(2, day["s"]!["buckets"]![0]!["doc_count"]!.GetValue<int>());
        Assert.Equal(1, result["aggregations"]!["users"]!["value"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"query":{"bogus":{}}}""", "parsing_exception")]
    [InlineData("""{"query":{"script":{"script":"true"}}}""", "illegal_argument_exception")]
    [InlineData("""{"qurey":{}}""", "parsing_exception")]
    [InlineData("""{"from":9999,"size":10}""", "illegal_argument_exception")]
    [InlineData("""{"query":""", "x_content_parse_exception")]
    [InlineData("""[1]""", "parsing_exception")]
    public async Task Bad_search_is_an_elasticsearch_shaped_400(string body, string type)
    {
        var (status, error) = await _client.SendAsync(HttpMethod.Post, "/jobs/_search", body);

        Assert.Equal(400, status);
        Assert.Equal(400, error!["status"]!.GetValue<int>());
        Assert.Equal(type, error["error"]!["root_cause"]![0]!["type"]!.GetValue<string>());
    }
}
