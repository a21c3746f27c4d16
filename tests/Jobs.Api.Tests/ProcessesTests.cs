using System.Net;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests;

public class ProcessesTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Deploy_answers_201_with_location_and_the_process_is_described()
    {
        var response = await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("deploy-me", "2.1")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.EndsWith("/processes/deploy-me", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var latest = await _client.GetJsonAsync("/processes/deploy-me");
        var exact = await _client.GetJsonAsync("/processes/deploy-me:2.1");
        Assert.Equal("2.1", latest["version"]!.GetValue<string>());
        Assert.Equal(latest.ToJsonString(), exact.ToJsonString());
        Assert.NotNull(latest["inputs"]!["x"]);
        Assert.Contains(latest["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "http://www.opengis.net/def/rel/ogc/1.0/execute");
    }

    [Fact]
    public async Task Same_id_and_version_twice_is_409_and_keeps_the_first()
    {
        await _client.DeployAsync("twice", "1", """{"first":{"schema":{"type":"string"}}}""");

        var (status, body) = await _client.SendAsync(HttpMethod.Post, "/processes", ApiCalls.Package("twice", "1", """{"second":{"schema":{"type":"string"}}}"""));

        Assert.Equal(409, status);
        Assert.Equal("http://www.opengis.net/def/exceptions/ogcapi-processes-2/1.0/duplicated-process", body!["type"]!.GetValue<string>());
        Assert.NotNull((await _client.GetJsonAsync("/processes/twice:1"))["inputs"]!["first"]);
    }

    [Fact]
    public async Task New_version_becomes_the_latest_and_the_list_shows_every_version()
    {
        await _client.DeployAsync("versioned", "1");
        await _client.DeployAsync("versioned", "2");

        var list = await _client.GetJsonAsync("/processes");

        var summary = list["processes"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "versioned")!;
        Assert.Equal("2", summary["version"]!.GetValue<string>());
        Assert.Equal(["1", "2"], summary["versions"]!.AsArray().Select(v => v!.GetValue<string>()).Order());
        Assert.Equal("2", (await _client.GetJsonAsync("/processes/versioned"))["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Undeploy_one_version_then_all()
    {
        await _client.DeployAsync("gone", "1");
        await _client.DeployAsync("gone", "2");

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/processes/gone:2")).StatusCode);
        Assert.Equal("1", (await _client.GetJsonAsync("/processes/gone"))["version"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/processes/gone")).StatusCode);

        var (status, body) = await _client.SendAsync(HttpMethod.Get, "/processes/gone");
        Assert.Equal(404, status);
        Assert.Equal("http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-process", body!["type"]!.GetValue<string>());
        Assert.Equal(404, (await _client.SendAsync(HttpMethod.Delete, "/processes/gone")).Status);
    }

    [Theory]
    [InlineData("""{"executionUnit":{}}""", "processDescription")]
    [InlineData("""{"processDescription":{"id":"bad id","version":"1"},"executionUnit":{}}""", "processDescription.id")]
    [InlineData("""{"processDescription":{"id":"p","version":"1","inputs":{"x":{"schema":"string"}}},"executionUnit":{}}""", "processDescription.inputs.x.schema")]
    [InlineData("""{"processDescription":"l1b","executionUnit":{}}""", "processDescription")]
    public async Task Invalid_package_is_400_naming_the_field_and_deploys_nothing(string body, string field)
    {
        var before = (await _client.GetJsonAsync("/processes"))["processes"]!.AsArray().Count;

        var (status, problem) = await _client.SendAsync(HttpMethod.Post, "/processes", body);

        Assert.Equal(400, status);
        OgcSchemas.AssertValid("exception", problem!);
        Assert.NotNull(problem!["errors"]![field]);
        Assert.Equal(before, (await _client.GetJsonAsync("/processes"))["processes"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[]")]
    public async Task Malformed_body_is_400(string body)
    {
        var (status, problem) = await _client.SendAsync(HttpMethod.Post, "/processes", body);

        Assert.Equal(400, status);
        Assert.Equal("urn:jobs:invalid-request", problem!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Oversized_package_is_413()
    {
        var huge = ApiCalls.Package("huge").Replace("test process", new string('x', 1024 * 1024), StringComparison.Ordinal);

        var (status, problem) = await _client.SendAsync(HttpMethod.Post, "/processes", huge);

        Assert.Equal(413, status);
        Assert.Equal("urn:jobs:payload-too-large", problem!["type"]!.GetValue<string>());
        Assert.Equal(404, (await _client.SendAsync(HttpMethod.Get, "/processes/huge")).Status);
    }
}
