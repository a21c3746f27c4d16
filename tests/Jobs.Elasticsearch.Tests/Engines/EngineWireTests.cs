using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport.Products.Elasticsearch;
using Jobs.Core.Processes;
using Jobs.Core.Updates;
using Jobs.Elasticsearch.Bootstrap;
using Jobs.Elasticsearch.Tests.Support;

namespace Jobs.Elasticsearch.Tests.Engines;

/// <summary>
/// The store against each engine it supports, played with that engine's answers (headers, media
/// types it refuses, its <c>GET /</c>): every store operation works the same on all three,
/// because every request is plain JSON through the transport and nothing depends on a product
/// header. The client's typed API, by contrast, works only on Elasticsearch 9.
/// </summary>
public sealed class EngineWireTests
{
    private const string SearchAnswer = """
        {"took":2,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"total":{"value":1,"relation":"eq"},"max_score":null,"hits":[{"_index":"jobs-000001","_id":"j1","_score":null,"_source":{"id":"j1","status":"running"},"sort":[1795345200000]}]}}
        """;

    [Theory]
    [InlineData("Elasticsearch 8.15.3")]
    [InlineData("Elasticsearch 9.1.5")]
    [InlineData("OpenSearch 2.17.1")]
    public async Task Bootstrap_create_get_update_search_and_count_work_on(string engineName)
    {
        var engine = Engine.ByName(engineName);
        await using var harness = new StoreHarness(new Dictionary<string, string?> { ["MaxRetries"] = "0" }, engine: engine);
        var es = harness.Es;
        es.On("GET", "/", 200, engine.Info);
        foreach (var alias in new[] { "jobs", "job-events", "processes" })
        {
            es.On("GET", $"/{alias}/_mapping", 404, EsAnswers.IndexNotFound(alias));
            es.On("PUT", $"/{alias}-000001", 200, EsAnswers.IndexCreated($"{alias}-000001"));
        }

        var job = TestJobs.Job("j1");
        es.On("PUT", "/jobs/_doc/j1", 201, EsAnswers.Created("jobs-000001", "j1"));
        es.On("GET", "/jobs/_doc/j1", 200, BulkAnswers.FoundDoc(job));
        es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(job)));
        BulkAnswers.NoEventsKnown(es);
        es.On("POST", "/_bulk", request => (200, BulkAnswers.AcceptAll(request.Body!)));
        es.On("POST", "/jobs/_search", 200, SearchAnswer);
        es.On("POST", "/jobs/_count", 200, """{"count":1,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""");

        var cluster = await harness.Bootstrapper.EnsureAsync(CancellationToken.None);
        Assert.True(await harness.Jobs.CreateAsync(job, CancellationToken.None));
        Assert.Equal("j1", (await harness.Jobs.GetAsync("j1", CancellationToken.None))?.Id);
        var results = await harness.Jobs.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);
        var found = await harness.Jobs.SearchAsync(JsonNode.Parse("""{"query":{"term":{"status":"running"}}}""")!.AsObject(), CancellationToken.None);
        var count = await harness.Jobs.CountAsync(null, CancellationToken.None);

        Assert.Equal(engine.FlatType, cluster.FlatType);
        Assert.Equal(UpdateOutcomeKind.Applied, Assert.Single(results).Outcome);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SearchAnswer), found));
        Assert.Equal(1, count["count"]!.GetValue<int>());
        var lines = es.Requests.Select(r => r.Line).ToList();
        lines.Sort(9, 2, StringComparer.Ordinal); // the update's two reads go out at once
        Assert.Equal(
            ["GET /", "GET /jobs/_mapping", "PUT /jobs-000001", "GET /job-events/_mapping", "PUT /job-events-000001", "GET /processes/_mapping", "PUT /processes-000001",
             "PUT /jobs/_doc/j1?op_type=create&refresh=false", "GET /jobs/_doc/j1", "POST /job-events/_mget", "POST /jobs/_mget",
             "POST /_bulk?refresh=false", "POST /_bulk?refresh=false", "POST /jobs/_search", "POST /jobs/_count"],
            lines);
        Assert.Contains($"\"inputs\":{{\"type\":\"{engine.FlatType}\"}}", es.Requests.Single(r => r.Line == "PUT /jobs-000001").Body);
        Assert.All(es.Requests, r => Assert.Equal("application/json", r.Header("Accept")));
        Assert.All(es.Requests.Where(r => !string.IsNullOrEmpty(r.Body)), r =>
            Assert.Equal(r.Line.StartsWith("POST /_bulk", StringComparison.Ordinal) ? "application/x-ndjson" : "application/json", r.Header("Content-Type")));
        Assert.All(es.Requests, r => Assert.Null(r.Header("Content-Encoding")));
    }

    [Theory]
    [InlineData("Elasticsearch 8.15.3")]
    [InlineData("Elasticsearch 9.1.5")]
    [InlineData("OpenSearch 2.17.1")]
    public async Task The_process_registry_works_on(string engineName)
    {
        var engine = Engine.ByName(engineName);
        await using var harness = new StoreHarness(engine: engine);
        await harness.StartAsync();
        var process = new ProcessDefinition { Id = "l1b-cwl", Version = "develop", Deployed = StoreHarness.Now, Description = JsonSerializer.SerializeToElement(new { id = "l1b-cwl" }) };
        harness.Es.On("PUT", "/processes/_doc/l1b-cwl:develop", 201, EsAnswers.Created("processes-000001", "l1b-cwl:develop"));

        Assert.True(await harness.Processes.DeployAsync(process, CancellationToken.None));
        Assert.Equal("PUT /processes/_doc/l1b-cwl:develop?op_type=create&refresh=wait_for", harness.Es.Requests.Single().Line);
    }

    [Fact]
    public async Task The_typed_API_of_client_9_is_refused_by_Elasticsearch_8_for_its_compatibility_media_type()
    {
        using var es = new EsServer(Engine.Elasticsearch8);
        es.On("GET", "/", 200, Engine.Elasticsearch8.Info);

        var info = await TypedClient(es).InfoAsync();

        Assert.False(info.IsValidResponse);
        Assert.Equal(400, info.ApiCallDetails.HttpStatusCode);
        Assert.Contains("compatible-with=9", es.Requests.Single().Header("Accept"));
        Assert.Equal("media_type_header_exception", info.ElasticsearchServerError?.Error?.Type);
    }

    [Fact]
    public async Task The_typed_API_of_client_9_refuses_OpenSearch_for_its_missing_product_header()
    {
        using var es = new EsServer(Engine.OpenSearch2);
        es.On("GET", "/", 200, Engine.OpenSearch2.Info);

        await Assert.ThrowsAsync<UnsupportedProductException>(() => TypedClient(es).InfoAsync());
    }

    [Fact]
    public async Task The_typed_API_of_client_9_sends_bodies_OpenSearch_refuses_for_their_media_type()
    {
        using var es = new EsServer(Engine.OpenSearch2);

        var count = await TypedClient(es).CountAsync<object>(c => c.Indices("jobs").Query(q => q.MatchAll(new Elastic.Clients.Elasticsearch.QueryDsl.MatchAllQuery())));

        Assert.False(count.IsValidResponse);
        Assert.Equal(406, count.ApiCallDetails.HttpStatusCode);
        Assert.Contains("compatible-with=9", es.Requests.Single().Header("Content-Type"));
    }

    [Fact]
    public async Task The_typed_API_of_client_9_works_on_Elasticsearch_9()
    {
        using var es = new EsServer(Engine.Elasticsearch9);
        es.On("GET", "/", 200, Engine.Elasticsearch9.Info);

        var info = await TypedClient(es).InfoAsync();

        Assert.True(info.IsValidResponse, info.DebugInformation);
        Assert.Equal("9.1.5", info.Version.Number);
    }

    private static ElasticsearchClient TypedClient(EsServer es) =>
        new(new ElasticsearchClientSettings(new Uri(es.Url)).EnableHttpCompression(false));
}
