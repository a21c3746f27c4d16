using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jobs.Api.Tests;

/// <summary>
/// The API host on the embedded store in a temporary data directory. Tests of one class share
/// a host (they create their own processes and jobs); tests that restart pass a data path.
/// </summary>
public sealed class JobsApiFactory : WebApplicationFactory<Program>
{
    public JobsApiFactory()
        : this(Path.Combine(Path.GetTempPath(), "jobs-api-tests", Guid.NewGuid().ToString("N")), ownsDirectory: true)
    {
    }

    /// <summary>A host with more settings or services (the /es client tests listen on a real port).</summary>
    public static JobsApiFactory With(Action<IWebHostBuilder> configure) => new() { Configure = configure };

    private JobsApiFactory(string dataPath, bool ownsDirectory)
    {
        DataPath = dataPath;
        OwnsDirectory = ownsDirectory;
    }

    /// <summary>A host on a data path the caller owns (restart tests open it twice), with more settings or services.</summary>
    public static JobsApiFactory OnPath(string dataPath, Action<IWebHostBuilder>? configure = null) =>
        new(dataPath, ownsDirectory: false) { Configure = configure };

    public string DataPath { get; }

    /// <summary>Configuration for this host (set before the first client is created).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>
    /// The remote address every request appears to come from (the test server has none, which
    /// the API treats as local): set to test what callers on other machines get.
    /// </summary>
    public System.Net.IPAddress? RemoteAddress { get; set; }

    private bool OwnsDirectory { get; }

    private Action<IWebHostBuilder>? Configure { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Jobs:Store", "embedded");
        builder.UseSetting("Jobs:Embedded:DataPath", DataPath);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new RemoteAddressFilter(() => RemoteAddress)));
        Configure?.Invoke(builder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && OwnsDirectory)
        {
            Jobs.Tests.Shared.DataDirectories.DeleteQuietly(DataPath);
        }
    }
}

/// <summary>Sets the connection's remote address before anything else sees the request.</summary>
internal sealed class RemoteAddressFilter(Func<System.Net.IPAddress?> address) : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use((HttpContext context, Func<Task> nextMiddleware) =>
        {
            if (address() is { } remote)
            {
                context.Connection.RemoteIpAddress = remote;
            }

            return nextMiddleware();
        });
        next(app);
    };
}

/// <summary>Shortcuts for the calls most tests make.</summary>
public static class ApiCalls
{
    public static string Package(string id, string version = "1.0", string inputs = """{"x":{"schema":{"type":"string"}}}""") =>
        "{\"processDescription\":{\"id\":\"" + id + "\",\"version\":\"" + version + "\",\"title\":\"test process\","
        + "\"inputs\":" + inputs + ",\"outputs\":{\"output\":{\"schema\":{\"type\":\"string\"}}}},"
        + "\"executionUnit\":{\"type\":\"application/cwl\",\"href\":\"https://example.org/" + id + ".cwl\"}}";

    public static async Task DeployAsync(this HttpClient client, string id, string version = "1.0", string? inputs = null)
    {
        var response = await client.PostAsync("/processes", Json(inputs is null ? Package(id, version) : Package(id, version, inputs)));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Executes the process with <c>{"inputs":{"x":"v"}}</c> (+ labels); returns (job id, update token).</summary>
    public static async Task<(string JobId, string Token)> ExecuteAsync(this HttpClient client, string processRef, params string[] labels)
    {
        var body = new JsonObject { ["inputs"] = new JsonObject { ["x"] = "v" }, ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]) };
        var response = await client.PostAsync($"/processes/{processRef}/jobs", Json(body.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, text);
        var json = JsonNode.Parse(text)!;
        return (json["jobID"]!.GetValue<string>(), json["updateToken"]!.GetValue<string>());
    }

    public static string UpdateBody(string jobId, string token, string fields, string? id = null, DateTimeOffset? time = null)
    {
        var head = $$"""{"version":1,"id":"{{id ?? Guid.NewGuid().ToString()}}","job-id":"{{jobId}}","token":"{{token}}","time":"{{(time ?? DateTimeOffset.UtcNow).ToString("O", System.Globalization.CultureInfo.InvariantCulture)}}" """.TrimEnd();
        return head + (fields.Length > 0 ? "," + fields : "") + "}";
    }

    public static async Task<HttpResponseMessage> UpdateAsync(this HttpClient client, string jobId, string token, string fields, string? id = null, DateTimeOffset? time = null) =>
        await client.PostAsync($"/jobs/{jobId}/updates", Json(UpdateBody(jobId, token, fields, id, time)));

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task<(int Status, JsonNode? Body)> SendAsync(this HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = Json(body);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    public static async Task<JsonNode> SearchAsync(this HttpClient client, string body)
    {
        var response = await client.PostAsync("/jobs/_search", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>POSTs a search-like body to any path and returns the 2xx JSON answer.</summary>
    public static async Task<JsonNode> SearchJsonAsync(this HttpClient client, string path, string body)
    {
        var response = await client.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public static List<string> HitIds(JsonNode search) =>
        search["hits"]!["hits"]!.AsArray().Select(h => h!["_id"]!.GetValue<string>()).ToList();

    public static T Read<T>(JsonNode node) => node.Deserialize<T>()!;
}
