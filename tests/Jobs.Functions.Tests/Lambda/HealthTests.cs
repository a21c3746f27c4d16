using System.Net;
using System.Text.Json.Nodes;
using Jobs.Hosting.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs.Functions.Tests.Lambda;

/// <summary>
/// The consumer's <c>GET /health</c> and <c>/health/live</c>: the same wire format as the API's
/// (Jobs.Api.Tests' <c>HealthTests</c>), from the same service defaults.
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Readiness_reports_the_store_in_the_same_wire_format_as_the_api()
    {
        await using var host = await EventsHost.StartAsync();

        var response = await host.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("""{"status":"healthy","checks":{"store":{"status":"healthy","description":"embedded Lucene index at """, body);
        Assert.EndsWith("\"}}}", body);
    }

    [Fact]
    public async Task A_store_outage_makes_readiness_503_and_liveness_does_not_wait_for_it()
    {
        await using var host = await EventsHost.StartAsync();
        host.Store.Unavailable = true;

        var ready = await host.Client.GetAsync("/health");
        var live = await host.Client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(
            """{"status":"unhealthy","checks":{"store":{"status":"unhealthy","description":"down"}}}""",
            await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(
            """{"status":"healthy","checks":{"self":{"status":"healthy","description":"the process answers"}}}""",
            await live.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_takes_every_check_tagged_ready_and_a_degraded_one_stays_200()
    {
        await using var host = await EventsHost.StartAsync(services =>
            services.AddHealthChecks().AddCheck("queue", () => HealthCheckResult.Degraded("receives failing"), [HealthTags.Ready]));

        var response = await host.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("degraded", body["status"]!.GetValue<string>());
        Assert.Equal("receives failing", body["checks"]!["queue"]!["description"]!.GetValue<string>());
        Assert.Equal("healthy", body["checks"]!["store"]!["status"]!.GetValue<string>());
    }
}
