using System.Text;
using System.Text.Json;
using Jobs.Core.Json;
using Jobs.Core.Processes;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Tests.Support;

namespace Jobs.Elasticsearch.Tests.Store;

public sealed class ProcessRegistryTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new();

    private EsServer Es => _harness.Es;

    private IProcessRegistry Registry => _harness.Processes;

    public Task InitializeAsync() => _harness.StartAsync();

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Deploy_creates_the_version_document_and_waits_until_search_sees_it()
    {
        var process = Process("l1b-cwl", "develop");
        Es.On("PUT", "/processes/_doc/l1b-cwl:develop", 201, EsAnswers.Created("processes-000001", "l1b-cwl:develop"));

        Assert.True(await Registry.DeployAsync(process, CancellationToken.None));

        var request = Assert.Single(Es.Requests);
        Assert.Equal("PUT /processes/_doc/l1b-cwl:develop?op_type=create&refresh=wait_for", request.Line);
        Assert.Equal(Encoding.UTF8.GetString(JobsJson.ToUtf8(process)), request.Body);
    }

    [Fact]
    public async Task Deploying_an_existing_id_and_version_returns_false()
    {
        Es.On("PUT", "/processes/_doc/l1b-cwl:develop", 409, EsAnswers.VersionConflictExists("l1b-cwl:develop"));

        Assert.False(await Registry.DeployAsync(Process("l1b-cwl", "develop"), CancellationToken.None));
    }

    [Fact]
    public async Task Get_of_a_version_reads_its_document_by_id()
    {
        var process = Process("l1b-cwl", "1.2.0");
        Es.On("GET", "/processes/_doc/l1b-cwl:1.2.0", 200, EsAnswers.Found("processes-000001", "l1b-cwl:1.2.0", Encoding.UTF8.GetString(JobsJson.ToUtf8(process))));

        var read = await Registry.GetAsync("l1b-cwl", "1.2.0", CancellationToken.None);

        Assert.Equal(["GET /processes/_doc/l1b-cwl:1.2.0"], Es.Requests.Select(r => r.Line));
        Assert.Equal(Encoding.UTF8.GetString(JobsJson.ToUtf8(process)), Encoding.UTF8.GetString(JobsJson.ToUtf8(read!)));
    }

    [Fact]
    public async Task Get_of_an_unknown_version_returns_null()
    {
        Es.On("GET", "/processes/_doc/l1b-cwl:9", 404, EsAnswers.NotFound("processes-000001", "l1b-cwl:9"));

        Assert.Null(await Registry.GetAsync("l1b-cwl", "9", CancellationToken.None));
    }

    [Fact]
    public async Task Get_without_a_version_searches_for_the_latest_deployed()
    {
        var latest = Process("l1b-cwl", "2.0.0");
        Es.On("POST", "/processes/_search", 200, Hits(latest));

        var read = await Registry.GetAsync("l1b-cwl", null, CancellationToken.None);

        Assert.Equal("2.0.0", read!.Version);
        var request = Assert.Single(Es.Requests);
        Assert.Equal("POST /processes/_search", request.Line);
        Assert.Equal("""{"query":{"term":{"id":"l1b-cwl"}},"sort":[{"deployed":{"order":"desc"}},{"version":{"order":"desc"}}],"size":1}""", request.Body);
    }

    [Fact]
    public async Task List_pages_through_every_version_with_search_after()
    {
        var first = Enumerable.Range(0, 1000).Select(i => Process($"p{i:0000}", "1")).ToArray();
        Es.OnSequence("POST", "/processes/_search", (200, Hits(first)), (200, Hits(Process("zz", "1"))));

        var all = await Registry.ListAsync(CancellationToken.None);

        Assert.Equal(1001, all.Count);
        Assert.Equal(2, Es.Requests.Count);
        Assert.Equal("""{"query":{"match_all":{}},"sort":[{"id":{"order":"asc"}},{"deployed":{"order":"asc"}},{"version":{"order":"asc"}}],"size":1000}""", Es.Requests[0].Body);
        Assert.Equal("""{"query":{"match_all":{}},"sort":[{"id":{"order":"asc"}},{"deployed":{"order":"asc"}},{"version":{"order":"asc"}}],"size":1000,"search_after":["p0999",1795341600000,"1"]}""", Es.Requests[1].Body);
    }

    [Fact]
    public async Task Undeploy_of_a_version_deletes_its_document()
    {
        Es.On("DELETE", "/processes/_doc/l1b-cwl:develop", 200, """{"_index":"processes-000001","_id":"l1b-cwl:develop","_version":2,"result":"deleted","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":4,"_primary_term":1}""");

        Assert.Equal(1, await Registry.UndeployAsync("l1b-cwl", "develop", CancellationToken.None));
        Assert.Equal(["DELETE /processes/_doc/l1b-cwl:develop?refresh=wait_for"], Es.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task Undeploy_of_an_unknown_version_removes_nothing()
    {
        Es.On("DELETE", "/processes/_doc/l1b-cwl:x", 404, """{"_index":"processes-000001","_id":"l1b-cwl:x","_version":1,"result":"not_found","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":5,"_primary_term":1}""");

        Assert.Equal(0, await Registry.UndeployAsync("l1b-cwl", "x", CancellationToken.None));
    }

    [Fact]
    public async Task Undeploy_of_every_version_deletes_by_query_and_counts_them()
    {
        Es.On("POST", "/processes/_delete_by_query", 200, """{"took":20,"timed_out":false,"total":3,"deleted":3,"batches":1,"version_conflicts":0,"noops":0,"retries":{"bulk":0,"search":0},"throttled_millis":0,"requests_per_second":-1.0,"throttled_until_millis":0,"failures":[]}""");

        Assert.Equal(3, await Registry.UndeployAsync("l1b-cwl", null, CancellationToken.None));
        var request = Assert.Single(Es.Requests);
        Assert.Equal("POST /processes/_delete_by_query?refresh=true&conflicts=proceed", request.Line);
        Assert.Equal("""{"query":{"term":{"id":"l1b-cwl"}}}""", request.Body);
    }

    private static ProcessDefinition Process(string id, string version) => new()
    {
        Id = id,
        Version = version,
        Description = JsonSerializer.SerializeToElement(new { id, version, title = "ATMS L1B", inputs = new { input_collection_id = new { schema = new { type = "string" } } } }),
        ExecutionUnit = JsonSerializer.SerializeToElement(new { type = "application/cwl", href = "https://example.org/l1b.cwl" }),
        Deployed = StoreHarness.Now,
    };

    private static string Hits(params ProcessDefinition[] processes)
    {
        var hits = processes.Select(p =>
            $$"""{"_index":"processes-000001","_id":"{{p.Id}}:{{p.Version}}","_score":null,"_source":{{Encoding.UTF8.GetString(JobsJson.ToUtf8(p))}},"sort":["{{p.Id}}",{{p.Deployed.ToUnixTimeMilliseconds()}},"{{p.Version}}"]}""");
        return $$"""{"took":2,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"total":{"value":{{processes.Length}},"relation":"eq"},"max_score":null,"hits":[{{string.Join(",", hits)}}]""" + "}}";
    }
}
