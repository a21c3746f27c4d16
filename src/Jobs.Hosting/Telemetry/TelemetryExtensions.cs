using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Jobs.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry traces, metrics and logs for a host, configured by the standard OpenTelemetry
/// variables: OTLP for all three when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>…_HEADERS</c> and the rest read by the exporter itself),
/// the console for a signal whose <c>OTEL_TRACES_EXPORTER</c>, <c>OTEL_METRICS_EXPORTER</c> or
/// <c>OTEL_LOGS_EXPORTER</c> lists <c>console</c>, and <c>OTEL_SERVICE_NAME</c> over the host's
/// own name. With none of them set nothing leaves the process.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The variable that turns the OTLP exporter on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Instruments ASP.NET Core (server spans and request metrics, except the health probes),
    /// outgoing HttpClient calls (the Elasticsearch store, SNS/SQS), the .NET runtime, and the
    /// host's own <paramref name="meters"/>; sends the host's logs through OpenTelemetry too.
    /// </summary>
    public static IHostApplicationBuilder AddJobsTelemetry(this IHostApplicationBuilder builder, string serviceName, params string[] meters)
    {
        var configuration = builder.Configuration;
        var otel = builder.Services.AddOpenTelemetry();

        // OTEL_SERVICE_NAME is read by the SDK's own resource detector; name the service only when it is unset.
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            otel.ConfigureResource(resource => resource.AddService(serviceName));
        }

        otel.WithTracing(tracing =>
        {
            tracing.AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation();
            if (ListsConsole(configuration["OTEL_TRACES_EXPORTER"]))
            {
                tracing.AddConsoleExporter();
            }
        });
        otel.WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(meters);
            if (ListsConsole(configuration["OTEL_METRICS_EXPORTER"]))
            {
                metrics.AddConsoleExporter();
            }
        });
        otel.WithLogging(
            logging =>
            {
                if (ListsConsole(configuration["OTEL_LOGS_EXPORTER"]))
                {
                    logging.AddConsoleExporter();
                }
            },
            options =>
            {
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = true;
            });

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }

    private static bool ListsConsole(string? exporters) =>
        exporters?.Split(',', StringSplitOptions.TrimEntries).Contains("console", StringComparer.OrdinalIgnoreCase) == true;
}
