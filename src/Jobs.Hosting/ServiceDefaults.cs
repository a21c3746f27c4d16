using Jobs.Hosting.Health;
using Jobs.Hosting.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Jobs.Hosting;

/// <summary>
/// What every host of Jobs has in the same form: health checks with one wire format and
/// OpenTelemetry traces, metrics and logs. A host calls <see cref="AddServiceDefaults"/> on its
/// builder and <see cref="MapDefaultEndpoints"/> on its app.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>The liveness check: the process answers (it touches nothing outside it).</summary>
    public const string SelfCheck = "self";

    /// <summary>
    /// Health checks (<c>self</c> for liveness; the store's readiness checks come with
    /// <c>AddJobStore</c>) and telemetry named <paramref name="serviceName"/>, with the host's
    /// own <paramref name="meters"/>.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName, params string[] meters)
    {
        builder.Services.AddHealthChecks()
            .AddCheck(SelfCheck, () => HealthCheckResult.Healthy("the process answers"), [HealthTags.Live]);
        builder.AddJobsTelemetry(serviceName, meters);
        return builder;
    }

    /// <summary><c>GET /health</c> and <c>GET /health/live</c>.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        return app;
    }
}
