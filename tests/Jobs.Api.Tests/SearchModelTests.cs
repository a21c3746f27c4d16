using System.Text;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests;

/// <summary>
/// The search model through the API on the embedded store: constructs the store does not run are
/// refused by name, and the words <c>script</c> and <c>agg</c> in field or aggregation names are ordinary.
/// </summary>
public class SearchModelTests : IClassFixture<SearchModelTests.Fixture>
{
    private readonly HttpClient _client;

    public SearchModelTests(Fixture data) => _client = data.Factory.CreateClient();

    public sealed class Fixture : IAsyncLifetime
    {
        public JobsApiFactory Factory { get; } = new();

        public async Task InitializeAsync()
        {
            var client = Factory.CreateClient();
            await client.DeployAsync("scripted", "1", """{"script":{"schema":{"type":"string"}}}""");
            var body = """{"inputs":{"script":"x"},"labels":["aggs"]}""";
            var response = await client.PostAsync("/processes/scripted:1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    [Theory]
    [InlineData("""{"suggest":{"s":{"text":"fail","term":{"field":"message"}}}}""", "suggest")]
    [InlineData("""{"pit":{"id":"abc","keep_alive":"1m"}}""", "pit")]
    [InlineData("""{"knn":{"field":"v","query_vector":[1,2],"k":1,"num_candidates":2}}""", "knn")]
    [InlineData("""{"query":{"fuzzy":{"message":"fial"}}}""", "fuzzy")]
    [InlineData("""{"aggs":{"h":{"histogram":{"field":"progress","interval":10}}}}""", "histogram aggregation")]
    public async Task A_construct_this_store_does_not_run_is_a_400_naming_it(string body, string construct)
    {
        var (status, error) = await _client.SendAsync(HttpMethod.Post, "/jobs/_search", body);

        Assert.Equal(400, status);
        Assert.Equal("parsing_exception", error!["error"]!["type"]!.GetValue<string>());
        Assert.Equal($"[{construct}] is not supported by this store", error["error"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_term_query_on_a_field_named_script_finds_the_job()
    {
        var result = await _client.SearchAsync("""{"query":{"term":{"inputs.script":"x"}}}""");

        Assert.Equal(1, result["hits"]!["total"]!["value"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_terms_aggregation_named_aggs_by_script_runs()
    {
        var result = await _client.SearchAsync("""{"size":0,"aggs":{"aggs_by_script":{"terms":{"field":"inputs.script"}}}}""");

        var bucket = result["aggregations"]!["aggs_by_script"]!["buckets"]![0]!;
        Assert.Equal("x", bucket["key"]!.GetValue<string>());
        Assert.Equal(1, bucket["doc_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_script_query_is_still_refused_as_a_script()
    {
        var (status, error) = await _client.SendAsync(HttpMethod.Post, "/jobs/_search", """{"query":{"bool":{"filter":[{"script":{"script":"true"}}]}}}""");

        Assert.Equal(400, status);
        Assert.Equal("illegal_argument_exception", error!["error"]!["type"]!.GetValue<string>());
        Assert.Contains("(at query.bool.filter.script)", error["error"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
