using System.Net;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests.Identity;

/// <summary>The rule set with API keys: who sees, dismisses and deploys what.</summary>
public class ApiKeyAccessTests(ApiKeyHost host) : IClassFixture<ApiKeyHost>
{
    private readonly HttpClient _alice = host.Client(ApiKeyHost.AliceKey);
    private readonly HttpClient _bob = host.Client(ApiKeyHost.BobKey);
    private readonly HttpClient _admin = host.Client(ApiKeyHost.AdminKey);

    [Fact]
    public async Task Alice_can_reach_none_of_bobs_jobs_by_any_route()
    {
        await _admin.DeployAsync("keys-probe", "1");
        var (bobJob, _) = await _bob.ExecuteAsync("keys-probe:1", "bobs");
        var (aliceJob, _) = await _alice.ExecuteAsync("keys-probe:1", "alices");

        await CrossUserProbe.AssertReachesNoneAsync(_alice, bobJob, "bob", "keys-probe:1");

        await CrossUserProbe.AssertUntouchedAsync(_bob, bobJob);
        await CrossUserProbe.AssertUntouchedAsync(_alice, aliceJob);
        var seen = ApiCalls.HitIds(await _alice.SearchAsync("""{"query":{"match_all":{}},"size":100}"""));
        Assert.Contains(aliceJob, seen);
    }

    [Fact]
    public async Task A_job_records_the_principal_as_its_user_never_a_body_field()
    {
        await _admin.DeployAsync("keys-owner", "1");
        var response = await _alice.PostAsync("/processes/keys-owner:1/jobs", ApiCalls.Json("""{"inputs":{"x":"v"},"user-id":"bob","user":"bob"}"""));
        var job = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["jobID"]?.GetValue<string>();

        if (response.StatusCode == HttpStatusCode.Created)
        {
            var document = await _admin.GetJsonAsync($"/jobs/_doc/{job}");
            Assert.Equal("alice", document["_source"]!["user-id"]!.GetValue<string>());
            Assert.Equal(404, (await _bob.SendAsync(HttpMethod.Get, $"/jobs/{job}")).Status);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task Users_dismiss_their_own_jobs_and_admins_any()
    {
        await _admin.DeployAsync("keys-dismiss", "1");
        var (mine, _) = await _alice.ExecuteAsync("keys-dismiss:1");
        var (bobs, _) = await _bob.ExecuteAsync("keys-dismiss:1");

        Assert.Equal(200, (await _alice.SendAsync(HttpMethod.Delete, $"/jobs/{mine}")).Status);
        Assert.Equal(404, (await _alice.SendAsync(HttpMethod.Delete, $"/jobs/{bobs}")).Status);
        Assert.Equal(200, (await _admin.SendAsync(HttpMethod.Delete, $"/jobs/{bobs}")).Status);
        Assert.Equal("dismissed", (await _bob.GetJsonAsync($"/jobs/{bobs}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Admins_see_every_job()
    {
        await _admin.DeployAsync("keys-admin", "1");
        var (a, _) = await _alice.ExecuteAsync("keys-admin:1");
        var (b, _) = await _bob.ExecuteAsync("keys-admin:1");

        var ids = ApiCalls.HitIds(await _admin.SearchAsync("""{"query":{"term":{"process-id":"keys-admin"}}}"""));
        Assert.Equal(new[] { a, b }.Order(), ids.Order());
        Assert.Equal(200, (await _admin.SendAsync(HttpMethod.Get, $"/jobs/{a}/history")).Status);
        Assert.Equal(200, (await _admin.SendAsync(HttpMethod.Get, $"/processes/keys-admin:1/jobs/{b}")).Status);
    }

    [Fact]
    public async Task Deploy_and_undeploy_need_the_admin_role()
    {
        var deploy = await _bob.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("keys-deploy", "1")));
        Assert.Equal(HttpStatusCode.Forbidden, deploy.StatusCode);
        var problem = JsonNode.Parse(await deploy.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:jobs:forbidden", problem["type"]!.GetValue<string>());
        Assert.Contains("jobs-admin", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await _admin.DeployAsync("keys-deploy", "1");
        Assert.Equal(403, (await _alice.SendAsync(HttpMethod.Delete, "/processes/keys-deploy")).Status);
        Assert.Equal(200, (await _alice.SendAsync(HttpMethod.Get, "/processes/keys-deploy")).Status);
        Assert.Equal(204, (await _admin.SendAsync(HttpMethod.Delete, "/processes/keys-deploy")).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-configured-key")]
    public async Task Missing_or_wrong_key_is_401_with_www_authenticate(string? key)
    {
        var client = host.Client(key);

        foreach (var path in (string[])["/jobs", "/processes", "/jobs/_search"])
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("ApiKey", response.Headers.WwwAuthenticate.Select(h => h.Scheme));
        }

        var search = JsonNode.Parse(await (await client.GetAsync("/jobs/_search")).Content.ReadAsStringAsync())!;
        Assert.Equal("security_exception", search["error"]!["type"]!.GetValue<string>());
        Assert.Equal(401, search["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Public_pages_and_worker_updates_need_no_user_credentials()
    {
        await _admin.DeployAsync("keys-worker", "1");
        var (job, token) = await _alice.ExecuteAsync("keys-worker:1");
        var anonymous = host.Client(null);

        foreach (var path in (string[])["/", "/conformance", "/openapi/v1.json", "/health/live"])
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
        }

        var update = await anonymous.UpdateAsync(job, token, "\"status\":\"running\"");
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("running", (await _alice.GetJsonAsync($"/jobs/{job}"))["status"]!.GetValue<string>());
    }
}
