using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jobs.Notifications.Tests;

/// <summary>The API host on the embedded store in a temporary directory, with webhooks to loopback allowed.</summary>
public class NotifyApiFactory : WebApplicationFactory<Program>
{
    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "jobs-notify-api-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Jobs:Store", "embedded");
        builder.UseSetting("Jobs:Embedded:DataPath", DataPath);
        builder.UseSetting("Jobs:Notifications:AllowedHosts:0", "127.0.0.1");
        builder.UseSetting("Jobs:Api:PublicBaseUrl", "http://jobs.test");
    }

    public async Task<JsonNode> PostAsync(HttpClient client, string path, string json, int expected = 201)
    {
        var response = await client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // the store may still be closing a file
        }
    }
}
