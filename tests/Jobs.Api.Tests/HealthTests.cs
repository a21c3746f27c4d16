using System.Net;
using System.Text.Json.Nodes;
using Jobs.Hosting.Health;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs.Api.Tests;

/// <summary>
/// <c>GET /health</c> and <c>/health/live</c> of the API in the wire format every host shares
/// (the consumer's twin is Jobs.Functions.Tests' <c>HealthTests</c>).
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Readiness_reports_the_store_check_by_name_with_its_description()
    {
        using var factory = new JobsApiFactory();
        var response = await factory.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["status", "checks"], body.Select(p => p.Key));
        Assert.Equal("healthy", body["status"]!.GetValue<string>());
        var checks = body["checks"]!.AsObject();
        Assert.Equal(["store"], checks.Select(c => c.Key));
        Assert.Equal("healthy", checks["store"]!["status"]!.GetValue<string>());
        Assert.Contains(Path.GetFullPath(factory.DataPath), checks["store"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_runs_only_the_self_check()
    {
        using var factory = new JobsApiFactory();
        using var failing = WithReadyCheck(factory, "broken", HealthCheckResult.Unhealthy("disk gone"));

        var live = await failing.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(
            """{"status":"healthy","checks":{"self":{"status":"healthy","description":"the process answers"}}}""",
            await live.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unhealthy_registered_check_makes_readiness_503_naming_it()
    {
        using var factory = new JobsApiFactory();
        using var failing = WithReadyCheck(factory, "broken", HealthCheckResult.Unhealthy("disk gone"));

        var response = await failing.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("unhealthy", body["status"]!.GetValue<string>());
        Assert.Equal("unhealthy", body["checks"]!["broken"]!["status"]!.GetValue<string>());
        Assert.Equal("disk gone", body["checks"]!["broken"]!["description"]!.GetValue<string>());
        Assert.Equal("healthy", body["checks"]!["store"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_degraded_check_keeps_readiness_200_and_says_degraded()
    {
        using var factory = new JobsApiFactory();
        using var degraded = WithReadyCheck(factory, "checkpoint", HealthCheckResult.Degraded("checkpoints failing"));

        var response = await degraded.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("degraded", body["status"]!.GetValue<string>());
        Assert.Equal("checkpoints failing", body["checks"]!["checkpoint"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_closed_store_makes_readiness_503()
    {
        using var factory = new JobsApiFactory();
        var client = factory.CreateClient();
        ((IDisposable)factory.Services.GetRequiredService<Jobs.Core.Storage.IJobStore>()).Dispose();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("unhealthy", body["status"]!.GetValue<string>());
        Assert.Contains("closed", body["checks"]!["store"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> WithReadyCheck(
        JobsApiFactory factory, string name, HealthCheckResult result) =>
        factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddHealthChecks().AddCheck(name, () => result, [HealthTags.Ready])));
}
