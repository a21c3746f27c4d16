using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Dispatch.Tests;

/// <summary>
/// The real API on the embedded store in a temporary directory, on a loopback port (so that
/// cwltool's workflows reach it), with the dispatch settings of one test class. Stopping it stops
/// the dispatcher, and with it any cwltool still running.
/// </summary>
public sealed class DispatchApi : IDisposable
{
    private readonly Factory _factory;

    public DispatchApi(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        Data = Path.Combine(Path.GetTempPath(), "jobs-dispatch-tests", Guid.NewGuid().ToString("N"));
        _factory = new Factory(Data, settings, services);
        _factory.UseKestrel(0);
        _factory.StartServer();
        Client = _factory.CreateClient();
        Url = Client.BaseAddress!.ToString().TrimEnd('/');
    }

    public string Data { get; }

    public string Url { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public async Task DeployAsync(string package)
    {
        var response = await Client.PostAsync("/processes", Json(package));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Executes the process (OGC body) and returns the 201's statusInfo.</summary>
    public async Task<JsonNode> ExecuteAsync(string process, JsonObject inputs)
    {
        var response = await Client.PostAsync($"/processes/{process}/jobs", Json(new JsonObject { ["inputs"] = inputs }.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> JobAsync(string jobId) => JsonNode.Parse(await Client.GetStringAsync($"/jobs/{jobId}"))!;

    public async Task<JsonArray> HistoryAsync(string jobId) =>
        JsonNode.Parse(await Client.GetStringAsync($"/jobs/{jobId}/history?limit=1000"))!["events"]!.AsArray();

    /// <summary>Polls the job until <paramref name="until"/> holds (a workflow runs in real time), failing after <paramref name="timeout"/>.</summary>
    public async Task<JsonNode> WaitAsync(string jobId, Func<JsonNode, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var job = await JobAsync(jobId);
            if (until(job))
            {
                return job;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                var history = await Client.GetStringAsync($"/jobs/{jobId}/history");
                Assert.Fail($"job {jobId} never reached the expected state: {job.ToJsonString()}\nhistory: {history}");
            }

            await Task.Delay(100);
        }
    }

    public static Func<JsonNode, bool> Status(string status) => job => job["status"]?.GetValue<string>() == status;

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public void Dispose()
    {
        Client.Dispose();
        _factory.Dispose();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (Exception e) when (e is IOException or DirectoryNotFoundException)
        {
            // Not there (no test wrote to it), or a file of the embedded store's events index
            // appearing while the store shuts down (its known open issue): a temporary directory
            // left behind is not what these tests are about.
        }
    }

    private sealed class Factory(string data, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Jobs:Store", "embedded");
            builder.UseSetting("Jobs:Embedded:DataPath", Path.Combine(data, "store"));
            builder.UseSetting("Jobs:Dispatch:TokenKeyFile", Path.Combine(data, "dispatch-token.key"));
            builder.UseSetting("Jobs:Dispatch:Local:WorkPath", Path.Combine(data, "runs"));
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        }
    }
}
