using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobs.Cli.Tests;

/// <summary>
/// The real API on the embedded store in a temporary directory, listening on a loopback port, so
/// that <c>jobsctl</c> run in-process and child processes (cwltool, the published tool) reach it
/// over real HTTP. One instance per test collection.
/// </summary>
public sealed class KestrelApi : IDisposable
{
    private readonly EmbeddedApiFactory _factory;

    public KestrelApi()
    {
        _factory = new EmbeddedApiFactory();
        _factory.UseKestrel(0);
        _factory.StartServer();
        Client = _factory.CreateClient();
        Url = Client.BaseAddress!.ToString().TrimEnd('/');
    }

    /// <summary>The base URL, without a trailing slash (http://127.0.0.1:port).</summary>
    public string Url { get; }

    public HttpClient Client { get; }

    /// <summary>jobsctl's environment for this API: its URL, a config directory of its own, and any extra variables.</summary>
    public Dictionary<string, string?> Environment(params (string Name, string? Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["JOBS_API_URL"] = Url,
            ["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "jobsctl-tests", Guid.NewGuid().ToString("N")),
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>Deploys <c>checksum:1</c> (one string input, one output) if it is not there yet.</summary>
    public async Task DeployChecksumAsync()
    {
        var response = await Client.PostAsync("/processes", Json("""
            {"processDescription":{"id":"checksum","version":"1","title":"Checksum a file",
              "inputs":{"input_file":{"schema":{"type":"string"}},"copies":{"schema":{"type":"integer"},"minOccurs":0}},
              "outputs":{"checksum":{"schema":{"type":"string"}}}},
             "executionUnit":{"type":"application/cwl","href":"https://example.org/example-workflow.cwl"}}
            """));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    public async Task<(string JobId, string Token)> NewJobAsync(params string[] labels)
    {
        await DeployChecksumAsync();
        var body = new JsonObject
        {
            ["inputs"] = new JsonObject { ["input_file"] = "s3://bucket/in/granule.nc" },
            ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]),
        };
        var response = await Client.PostAsync("/processes/checksum:1/jobs", Json(body.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var json = JsonNode.Parse(text)!;
        return (json["jobID"]!.GetValue<string>(), json["updateToken"]!.GetValue<string>());
    }

    /// <summary>Posts one update as a worker would (fields of the version-1 message, e.g. status, progress, outputs).</summary>
    public async Task UpdateAsync(string jobId, string token, JsonObject fields)
    {
        var message = new JsonObject
        {
            ["version"] = 1,
            ["id"] = Guid.NewGuid().ToString("D"),
            ["job-id"] = jobId,
            ["token"] = token,
            ["time"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        foreach (var (key, value) in fields)
        {
            message[key] = value?.DeepClone();
        }

        var response = await Client.PostAsync($"/jobs/{jobId}/updates", Json(message.ToJsonString()));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonNode> JobAsync(string jobId) => JsonNode.Parse(await Client.GetStringAsync($"/jobs/{jobId}"))!;

    public async Task DismissAsync(string jobId) => (await Client.DeleteAsync($"/jobs/{jobId}")).EnsureSuccessStatusCode();

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public void Dispose()
    {
        Client.Dispose();
        _factory.Dispose();
    }
}

/// <summary>Tests that share one <see cref="KestrelApi"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<KestrelApi>
{
    public const string Name = "api";
}
