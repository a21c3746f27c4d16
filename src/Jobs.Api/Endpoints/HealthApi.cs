using Jobs.Core.Storage;

namespace Jobs.Api.Endpoints;

/// <summary><c>GET /health</c>: 200 when the store is reachable, 503 otherwise; <c>/health/live</c>: the process answers.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/", async (IJobStore store, CancellationToken ct) =>
        {
            var health = await store.CheckHealthAsync(ct);
            return Results.Json(
                new { status = health.Ready ? "ready" : "not-ready", store = health.Description },
                statusCode: health.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).WithName("GetHealth").WithSummary("Readiness: is the store reachable?");
        group.MapGet("/live", () => Results.Json(new { status = "live" })).WithName("GetLiveness").WithSummary("Liveness");
        return app;
    }
}
