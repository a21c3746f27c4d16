using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Jobs.Api.Identity;

namespace Jobs.Api.Tests.Identity;

/// <summary>
/// ASP.NET Core's rate limiter per caller, and the wrong-token limit per job. No test waits for a
/// window to pass: each checks who is refused, with what, and that the others are not.
/// </summary>
public class RateLimitTests
{
    [Fact]
    public async Task A_caller_over_its_limit_gets_429_with_retry_after_and_other_callers_do_not()
    {
        using var factory = WithKeys();
        factory.Settings["Jobs:RateLimits:PerCallerPermits"] = "3";
        var alice = Client(factory, "alice-key");
        var bob = Client(factory, "bob-key");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/jobs")).StatusCode);
        }

        var refused = await alice.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("urn:jobs:too-many-requests", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());

        var search = await alice.GetAsync("/jobs/_search");
        Assert.Equal(HttpStatusCode.TooManyRequests, search.StatusCode);
        Assert.Equal("es_rejected_execution_exception", JsonNode.Parse(await search.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/jobs")).StatusCode);
    }

    [Fact]
    public async Task The_local_administrator_on_loopback_is_not_limited_but_remote_anonymous_callers_are()
    {
        using var local = new JobsApiFactory();
        local.Settings["Jobs:RateLimits:PerCallerPermits"] = "2";
        var client = local.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/jobs")).StatusCode);
        }

        using var remote = new JobsApiFactory { RemoteAddress = IPAddress.Parse("203.0.113.9") };
        remote.Settings["Jobs:RateLimits:PerCallerPermits"] = "2";
        remote.Settings["Jobs:Auth:AllowAnonymousRemote"] = "true";
        var other = remote.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await other.GetAsync("/jobs")).StatusCode);
    }

    [Fact]
    public async Task Wrong_tokens_for_one_job_are_limited_without_blocking_its_worker_or_other_jobs()
    {
        using var factory = new JobsApiFactory();
        factory.Settings["Jobs:RateLimits:WrongTokenPermits"] = "3";
        var client = factory.CreateClient();
        await client.DeployAsync("wrong-tokens", "1");
        var (job, token) = await client.ExecuteAsync("wrong-tokens:1");
        var (other, otherToken) = await client.ExecuteAsync("wrong-tokens:1");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.UpdateAsync(job, "not-the-token", "\"progress\":1")).StatusCode);
        }

        var events = (await client.GetJsonAsync($"/jobs/{job}/history"))["events"]!.AsArray().Count;
        var refused = await client.UpdateAsync(job, "not-the-token", "\"progress\":1");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal(events, (await client.GetJsonAsync($"/jobs/{job}/history"))["events"]!.AsArray().Count); // nothing stored

        Assert.Equal(HttpStatusCode.OK, (await client.UpdateAsync(job, token, "\"status\":\"running\"")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.UpdateAsync(other, "not-the-token", "\"progress\":1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.UpdateAsync(other, otherToken, "\"status\":\"running\"")).StatusCode);
    }

    private static JobsApiFactory WithKeys()
    {
        var factory = new JobsApiFactory();
        string[] users = ["alice", "bob"];
        for (var i = 0; i < users.Length; i++)
        {
            factory.Settings[$"Jobs:Auth:ApiKeys:{i}:Name"] = users[i];
            factory.Settings[$"Jobs:Auth:ApiKeys:{i}:User"] = users[i];
            factory.Settings[$"Jobs:Auth:ApiKeys:{i}:Sha256"] = ApiKeyHandler.Hash(users[i] + "-key");
        }

        return factory;
    }

    private static HttpClient Client(JobsApiFactory factory, string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client;
    }
}
