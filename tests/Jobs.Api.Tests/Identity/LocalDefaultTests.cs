using System.Net;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests.Identity;

/// <summary>
/// No authentication configured: the caller on this machine is the administrator; callers
/// from other addresses reach only what needs no user, and are refused everything else with the
/// settings to configure, unless allowed.
/// </summary>
public class LocalDefaultTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task A_loopback_caller_is_the_anonymous_administrator(string address)
    {
        using var factory = new JobsApiFactory { RemoteAddress = IPAddress.Parse(address) };
        var client = factory.CreateClient();

        await client.DeployAsync("local-admin", "1");
        var (job, _) = await client.ExecuteAsync("local-admin:1");

        var document = await client.GetJsonAsync($"/jobs/_doc/{job}");
        Assert.Equal("anonymous", document["_source"]!["user-id"]!.GetValue<string>());
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, "/processes/local-admin")).Status);
    }

    [Theory]
    [InlineData("GET", "/jobs", null)]
    [InlineData("GET", "/processes", null)]
    [InlineData("POST", "/processes", "{}")]
    [InlineData("POST", "/processes/l1b-cwl:develop/jobs", "{}")]
    [InlineData("GET", "/jobs/0193a0c0-0000-7000-8000-000000000000/history", null)]
    public async Task A_caller_from_another_address_is_refused_naming_the_settings(string method, string path, string? body)
    {
        using var factory = new JobsApiFactory { RemoteAddress = Remote };
        var client = factory.CreateClient();

        var (status, problem) = await client.SendAsync(new HttpMethod(method), path, body);

        Assert.Equal(403, status);
        Assert.Equal("urn:jobs:anonymous-remote-refused", problem!["type"]!.GetValue<string>());
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("Authentication:Schemes:Bearer", detail, StringComparison.Ordinal);
        Assert.Contains("Jobs:Auth:ApiKeys", detail, StringComparison.Ordinal);
        Assert.Contains("Jobs:Auth:AllowAnonymousRemote", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_from_another_address_reaches_what_needs_no_user()
    {
        using var factory = new JobsApiFactory();
        var client = factory.CreateClient();
        await client.DeployAsync("remote-worker", "1");
        var (job, token) = await client.ExecuteAsync("remote-worker:1");

        factory.RemoteAddress = Remote;
        var health = await client.SendAsync(HttpMethod.Get, "/health/live");
        var landing = await client.SendAsync(HttpMethod.Get, "/");
        var update = await client.UpdateAsync(job, token, "\"status\":\"running\",\"progress\":30");
        var wrongToken = await client.UpdateAsync(job, "not-the-token", "\"progress\":40");
        var read = await client.SendAsync(HttpMethod.Get, $"/jobs/{job}");

        Assert.Equal(200, health.Status);
        Assert.Equal(200, landing.Status);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
        Assert.DoesNotContain("anonymous-remote-refused", await wrongToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(403, read.Status);
        Assert.Equal("urn:jobs:anonymous-remote-refused", read.Body!["type"]!.GetValue<string>());

        factory.RemoteAddress = null;
        var status = await client.GetJsonAsync($"/jobs/{job}");
        Assert.Equal("running", status["status"]!.GetValue<string>());
        Assert.Equal(30, status["progress"]!.GetValue<int>());
    }

    [Fact]
    public async Task Every_readme_quick_start_request_needing_a_user_from_another_machine_is_refused_with_the_settings()
    {
        var readme = File.ReadAllText(FindRepoFile("README.md"));
        var quickStart = readme[readme.IndexOf("## Quick start", StringComparison.Ordinal)..readme.IndexOf("## The API", StringComparison.Ordinal)];
        var requests = System.Text.RegularExpressions.Regex.Matches(quickStart, @"curl ([^\n]*?)[""']?http://(?:localhost|\$\{WPST_API\}):5001(/[^\s'""]*)")
            .Select(m => (Line: quickStart[m.Index..].Split('\n')[0], Path: m.Groups[2].Value))
            .Select(r => (Method: r.Line.Contains("-X DELETE", StringComparison.Ordinal) ? "DELETE"
                    : r.Line.Contains("-X POST", StringComparison.Ordinal) || r.Line.Contains(" -d ", StringComparison.Ordinal) || r.Line.TrimEnd().EndsWith('\\') ? "POST" : "GET",
                Path: r.Path.Replace("$JOB_ID", "0193a0c0-0000-7000-8000-000000000000", StringComparison.Ordinal)))
            .ToList();
        Assert.True(requests.Count >= 8, $"found only {requests.Count} requests in the quick start");
        Assert.Contains(requests, r => r.Method == "POST" && r.Path == "/processes");
        Assert.Contains(requests, r => r.Method == "POST" && r.Path.EndsWith("/jobs", StringComparison.Ordinal));

        using var factory = new JobsApiFactory { RemoteAddress = Remote };
        var client = factory.CreateClient();
        foreach (var (method, path) in requests)
        {
            var (status, problem) = await client.SendAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null);
            if (path.EndsWith("/updates", StringComparison.Ordinal))
            {
                // A worker's update needs no user: the job's token (missing here) is its credential.
                Assert.True(status == 400, $"{method} {path} from {Remote} answered {status}");
                continue;
            }

            Assert.True(status == 403, $"{method} {path} from {Remote} answered {status}");
            Assert.Contains("Jobs:Auth:AllowAnonymousRemote", problem?.ToJsonString() ?? "", StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_remote_search_is_refused_in_elasticsearchs_shape()
    {
        using var factory = new JobsApiFactory { RemoteAddress = Remote };

        var response = await factory.CreateClient().GetAsync("/jobs/_search");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("security_exception", error["error"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("X-Forwarded-For", "198.51.100.4")]
    [InlineData("Forwarded", "for=198.51.100.4")]
    public async Task A_request_forwarded_by_a_proxy_on_this_machine_is_not_local(string header, string value)
    {
        using var factory = new JobsApiFactory { RemoteAddress = IPAddress.Loopback };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/jobs");
        request.Headers.Add(header, value);

        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AllowAnonymousRemote_lets_other_addresses_in_as_the_administrator()
    {
        using var factory = new JobsApiFactory { RemoteAddress = Remote };
        factory.Settings["Jobs:Auth:AllowAnonymousRemote"] = "true";
        var client = factory.CreateClient();

        await client.DeployAsync("remote-allowed", "1");
        var (job, _) = await client.ExecuteAsync("remote-allowed:1");
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, $"/jobs/{job}")).Status);
    }

    private static string FindRepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, relative)))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException(relative);
    }

    [Fact]
    public async Task Host_names_other_than_loopback_are_refused()
    {
        using var factory = new JobsApiFactory();
        var client = factory.CreateClient();

        foreach (var host in (string[])["localhost", "127.0.0.1", "[::1]", "localhost:5001"])
        {
            using var ok = new HttpRequestMessage(HttpMethod.Get, "/");
            ok.Headers.Host = host;
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ok)).StatusCode);
        }

        // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/jobs");
        rebound.Headers.Host = "evil.example";
        var refused = await client.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain("evil.example", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
