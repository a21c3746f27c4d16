using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobs.Cli.Tests.Updates;

/// <summary>
/// The worker's walk-through of docs/updates.md, in-process: the real API on the embedded store,
/// and <c>jobs update --api-url</c> reporting the steps of the example workflow.
/// </summary>
public sealed class ApiInProcessTests : IClassFixture<EmbeddedApiFactory>
{
    private readonly EmbeddedApiFactory _factory;
    private readonly HttpClient _client;

    public ApiInProcessTests(EmbeddedApiFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task The_example_workflow_s_updates_move_the_job_and_its_outputs_appear_in_status_and_search()
    {
        var (jobId, token) = await NewJobAsync("campaign-3");
        var environment = Environment(jobId, token);

        var running = await CliRun.RunAsync(environment, _factory.Server.CreateHandler(), "update", "--status", "running", "--stage", "process", "--progress", "0");
        var middle = await CliRun.RunAsync(environment, _factory.Server.CreateHandler(), "update", "--progress", "50", "--add-label", "checksummed");
        var done = await CliRun.RunAsync(environment, _factory.Server.CreateHandler(),
            "update", "--status", "succeeded", "--stage", "done", "--progress", "100", "--output", "checksum=s3://bucket/out/granule.nc.sha256");

        Assert.All([running, middle, done], r => Assert.True(r.ExitCode == 0, r.Error));
        Assert.Contains("stored by the API: applied", done.Out);
        var job = JsonNode.Parse(await _client.GetStringAsync($"/jobs/{jobId}"))!;
        Assert.Equal("successful", job["status"]!.GetValue<string>());
        Assert.Equal("done", job["stage"]!.GetValue<string>());
        Assert.Equal("s3://bucket/out/granule.nc.sha256", job["outputs"]!["checksum"]!.GetValue<string>());
        Assert.Equal(["campaign-3", "checksummed"], job["labels"]!.AsArray().Select(l => l!.GetValue<string>()));

        var search = await _client.PostAsync("/jobs/_search", Json("""
            {"query":{"bool":{"filter":[{"term":{"status":"succeeded"}},{"term":{"labels":"checksummed"}}]}}}
            """));
        var hits = JsonNode.Parse(await search.Content.ReadAsStringAsync())!["hits"]!["hits"]!.AsArray();
        Assert.Contains(hits, h => h!["_id"]!.GetValue<string>() == jobId);
    }

    [Fact]
    public async Task A_wrong_token_exits_65_and_the_job_does_not_move()
    {
        var (jobId, _) = await NewJobAsync();

        var result = await CliRun.RunAsync(Environment(jobId, "not-the-token"), _factory.Server.CreateHandler(), "update", "--status", "running");

        Assert.Equal(65, result.ExitCode);
        Assert.Contains("403", result.Error);
        Assert.Equal("accepted", JsonNode.Parse(await _client.GetStringAsync($"/jobs/{jobId}"))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_job_exits_65()
    {
        var result = await CliRun.RunAsync(Environment("no-such-job", "tok"), _factory.Server.CreateHandler(), "update", "--status", "running");

        Assert.Equal(65, result.ExitCode);
        Assert.Contains("404", result.Error);
    }

    [Fact]
    public async Task The_same_update_id_twice_is_stored_once()
    {
        var (jobId, token) = await NewJobAsync();
        var environment = Environment(jobId, token);

        await CliRun.RunAsync(environment, _factory.Server.CreateHandler(), "update", "--progress", "5", "--update-id", "step-1");
        var again = await CliRun.RunAsync(environment, _factory.Server.CreateHandler(), "update", "--progress", "5", "--update-id", "step-1");

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("duplicate", again.Out);
    }

    private Dictionary<string, string?> Environment(string jobId, string token) => new()
    {
        ["JOBS_API_URL"] = _client.BaseAddress!.ToString(),
        ["JOBS_JOB_ID"] = jobId,
        ["JOBS_UPDATE_TOKEN"] = token,
    };

    private async Task<(string JobId, string Token)> NewJobAsync(params string[] labels)
    {
        // The first test deploys the process; 409 for the others.
        await _client.PostAsync("/processes", Json("""
            {"processDescription":{"id":"checksum","version":"1","title":"Checksum a file",
              "inputs":{"input_file":{"schema":{"type":"string"}}},"outputs":{"checksum":{"schema":{"type":"string"}}}},
             "executionUnit":{"type":"application/cwl","href":"https://example.org/example-workflow.cwl"}}
            """));
        var body = new JsonObject
        {
            ["inputs"] = new JsonObject { ["input_file"] = "s3://bucket/in/granule.nc" },
            ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]),
        };
        var response = await _client.PostAsync("/processes/checksum:1/jobs", Json(body.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var json = JsonNode.Parse(text)!;
        return (json["jobID"]!.GetValue<string>(), json["updateToken"]!.GetValue<string>());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
