using System.Net;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests;

public class ExecuteTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    /// <summary>The body of the Unity SDS jobs-database curl example (the README's quick start), verbatim: examples/seed-execute.json.</summary>
    private static readonly string SeedExecute = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "seed-execute.json"));

    private readonly HttpClient _client = factory.CreateClient();

    private async Task DeploySeedProcessAsync()
    {
        var package = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "examples", "l1b-cwl-package.json"));
        var response = await _client.PostAsync("/processes", ApiCalls.Json(package));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
    }

    private async Task<int> CountJobsAsync() =>
        (await _client.SearchAsync("""{"size":0,"track_total_hits":true}"""))["hits"]!["total"]!["value"]!.GetValue<int>();

    [Fact]
    public async Task Seed_example_creates_a_job_visible_immediately()
    {
        await DeploySeedProcessAsync();

        var response = await _client.PostAsync("/processes/l1b-cwl:develop/jobs", new StringContent(SeedExecute, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        OgcSchemas.AssertValid("statusInfo", created);
        var jobId = created["jobID"]!.GetValue<string>();
        Assert.EndsWith($"/jobs/{jobId}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("accepted", created["status"]!.GetValue<string>());
        Assert.Equal(22, created["updateToken"]!.GetValue<string>().Length);

        var job = await _client.GetJsonAsync($"/jobs/{jobId}");
        OgcSchemas.AssertValid("statusInfo", job);
        Assert.Equal("l1b-cwl", job["processID"]!.GetValue<string>());
        Assert.Equal("develop", job["processVersion"]!.GetValue<string>());
        Assert.Equal(["re-processing-3", "release23.3", "08-08-23"], job["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("SNDR_SNPP_ATMS_L1A___1", job["inputs"]!["input_collection_id"]!.GetValue<string>());
        Assert.Null(job["updateToken"]);
    }

    [SkippableFact]
    public void Readme_quick_start_sends_exactly_the_seed_example()
    {
        var readme = FindReadme();
        Skip.If(readme is null, "README.md is not above the test directory");
        var text = File.ReadAllText(readme!);
        var start = text.IndexOf("<< EOF\n", StringComparison.Ordinal) + "<< EOF\n".Length;
        var end = text.IndexOf("\nEOF\n", start, StringComparison.Ordinal);

        Assert.Equal(SeedExecute, text[start..end] + "\n");
    }

    private static string? FindReadme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Jobs.sln")))
            {
                return candidate;
            }
        }

        return null;
    }

    [Fact]
    public async Task Ogc_execution_form_with_prefer_async_creates_a_job()
    {
        await DeploySeedProcessAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/processes/l1b-cwl/execution")
        {
            Content = ApiCalls.Json("""
                {"inputs":{"input_collection_id":"A","start_datetime":"2016-01-14T08:00:00Z","stop_datetime":"2016-01-14T11:59:59Z",
                 "output_collection_id":"B","static_dir":{"class":"Directory","path":"/tmp"}},
                 "outputs":{"output":{"transmissionMode":"reference"}},"response":"document"}
                """),
        };
        request.Headers.Add("Prefer", "respond-async");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("respond-async", response.Headers.GetValues("Preference-Applied").Single());
        OgcSchemas.AssertValid("statusInfo", JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Undeployed_process_is_404_no_such_process_and_stores_nothing()
    {
        var before = await CountJobsAsync();

        var (status, problem) = await _client.SendAsync(HttpMethod.Post, "/processes/never-deployed:1/jobs", SeedExecute);

        Assert.Equal(404, status);
        OgcSchemas.AssertValid("exception", problem!);
        Assert.Equal("http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-process", problem!["type"]!.GetValue<string>());
        Assert.Equal(before, await CountJobsAsync());
    }

    [Theory]
    [InlineData("""{"inputs":{"input_collection_id":"A"}}""", "inputs.start_datetime")]
    [InlineData("""{"inputs":{"input_collection_id":5,"start_datetime":"2016-01-14T08:00:00Z","stop_datetime":"2016-01-14T11:59:59Z","output_collection_id":"B"}}""", "inputs.input_collection_id")]
    [InlineData("""{"inputs":{"input_collection_id":"A","start_datetime":"soon","stop_datetime":"2016-01-14T11:59:59Z","output_collection_id":"B"}}""", "inputs.start_datetime")]
    [InlineData("""{"inputs":{"input_collection_id":"A","start_datetime":"2016-01-14T08:00:00Z","stop_datetime":"2016-01-14T11:59:59Z","output_collection_id":"B","colour":"red"}}""", "inputs.colour")]
    [InlineData("""{"inputs":{"input_collection_id":"A","start_datetime":"2016-01-14T08:00:00Z","stop_datetime":"2016-01-14T11:59:59Z","output_collection_id":"B"},"labels":"x"}""", "labels")]
    [InlineData("""{"inputs":{"input_collection_id":"A","start_datetime":"2016-01-14T08:00:00Z","stop_datetime":"2016-01-14T11:59:59Z","output_collection_id":"B"},"labels":["ok",7]}""", "labels[1]")]
    [InlineData("""{"inputs":{"input_collection_id":"A","start_datetime":"2016-01-14T08:00:00Z","stop_datetime":"2016-01-14T11:59:59Z","output_collection_id":"B"},"outputs":{"preview":{}}}""", "outputs.preview")]
    [InlineData("""{"inputs":[{"id":"input_collection_id"}]}""", "inputs[0]")]
    [InlineData("""{"inputs":42}""", "inputs")]
    public async Task Bad_execute_request_is_400_naming_the_problem_and_stores_nothing(string body, string field)
    {
        await DeploySeedProcessAsync();
        var before = await CountJobsAsync();

        var (status, problem) = await _client.SendAsync(HttpMethod.Post, "/processes/l1b-cwl:develop/jobs", body);

        Assert.Equal(400, status);
        OgcSchemas.AssertValid("exception", problem!);
        Assert.True(problem!["errors"]![field] is not null, problem.ToJsonString());
        Assert.Equal(before, await CountJobsAsync());
    }

    [Theory]
    [InlineData("{\"inputs\":")]
    [InlineData("not json at all")]
    [InlineData("")]
    public async Task Malformed_json_is_400(string body)
    {
        await DeploySeedProcessAsync();

        var (status, problem) = await _client.SendAsync(HttpMethod.Post, "/processes/l1b-cwl:develop/jobs", body);

        Assert.Equal(400, status);
        Assert.Contains("JSON", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_execute_request_is_413_and_stores_nothing()
    {
        await DeploySeedProcessAsync();
        var before = await CountJobsAsync();
        var body = SeedExecute.Replace("SNDR_SNPP_ATMS_L1A___1", new string('a', (1024 * 1024) + 1), StringComparison.Ordinal);

        var (status, _) = await _client.SendAsync(HttpMethod.Post, "/processes/l1b-cwl:develop/jobs", body);

        Assert.Equal(413, status);
        Assert.Equal(before, await CountJobsAsync());
    }

    [Fact]
    public async Task Execute_without_version_uses_the_latest()
    {
        await _client.DeployAsync("latest-exec", "1");
        await _client.DeployAsync("latest-exec", "2");

        var (jobId, _) = await _client.ExecuteAsync("latest-exec");

        Assert.Equal("2", (await _client.GetJsonAsync($"/jobs/{jobId}"))["processVersion"]!.GetValue<string>());
    }
}
