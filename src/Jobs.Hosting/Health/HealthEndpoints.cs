using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs.Hosting.Health;

/// <summary>
/// <c>GET /health</c> (readiness: every check tagged <see cref="HealthTags.Ready"/>) and
/// <c>GET /health/live</c> (liveness: the checks tagged <see cref="HealthTags.Live"/>, which never
/// leave the process), both answering <see cref="HealthBody"/>.
/// </summary>
/// <remarks>
/// Minimal API handlers over <see cref="HealthCheckService"/> rather than <c>MapHealthChecks</c>,
/// so that the two routes, their bodies and status codes appear in the API's OpenAPI document.
/// </remarks>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health");
        group.MapGet("/", (HealthCheckService health, HttpContext http, CancellationToken ct) => CheckAsync(health, HealthTags.Ready, http, ct))
            .WithName("GetHealth")
            .WithSummary("Readiness: can the service serve requests (is the store reachable)?")
            .Produces<HealthBody>(StatusCodes.Status200OK)
            .Produces<HealthBody>(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/live", (HealthCheckService health, HttpContext http, CancellationToken ct) => CheckAsync(health, HealthTags.Live, http, ct))
            .WithName("GetLiveness")
            .WithSummary("Liveness: does the process answer? (does not wait for the store)")
            .Produces<HealthBody>(StatusCodes.Status200OK)
            .Produces<HealthBody>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<JsonHttpResult<HealthBody>> CheckAsync(HealthCheckService health, string tag, HttpContext http, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(registration => registration.Tags.Contains(tag), ct);

        // A probe's answer is about this moment: no proxy or client may reuse it.
        http.Response.Headers.CacheControl = "no-store, no-cache";
        return TypedResults.Json(
            HealthBody.From(report),
            HealthBody.JsonOptions,
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
