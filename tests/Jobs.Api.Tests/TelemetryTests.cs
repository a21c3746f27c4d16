using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Jobs.Api.Tests;

/// <summary>The API's OpenTelemetry from the service defaults: traces, metrics and logs, and OTLP when configured.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Requests_are_traced_and_measured_but_health_probes_are_not_traced_and_logs_go_through_OpenTelemetry()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var logs = new List<LogRecord>();
        using var factory = new JobsApiFactory();
        using var host = factory.WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddOpenTelemetry()
            .WithTracing(t => t.AddInMemoryExporter(spans))
            .WithMetrics(m => m.AddInMemoryExporter(metrics))
            .WithLogging(l => l.AddInMemoryExporter(logs))));
        var client = host.CreateClient();

        // Activity listeners are process-wide: other tests' hosts may add spans, so this test
        // looks for its own request by a path no other test uses.
        var path = $"/jobs/telemetry-{Guid.NewGuid():N}";
        await client.GetAsync("/health");
        await client.GetAsync(path);
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Jobs.Test").LogWarning("a warning for the exporter");
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        host.Services.GetRequiredService<LoggerProvider>().ForceFlush();

        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("url.path"), path));
        Assert.Equal("GET /jobs/{jobId}", server.DisplayName);
        Assert.Equal(404, server.GetTagItem("http.response.status_code"));
        Assert.DoesNotContain(spans, s => (s.GetTagItem("url.path") as string)?.StartsWith("/health", StringComparison.Ordinal) == true);
        Assert.Contains(metrics, m => m.Name == "http.server.request.duration");
        Assert.Contains(metrics, m => m.Name.StartsWith("dotnet.", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.CategoryName == "Jobs.Test" && l.FormattedMessage == "a warning for the exporter");
    }

    [Fact]
    public async Task Traces_metrics_and_logs_are_sent_over_OTLP_when_the_endpoint_is_configured()
    {
        await using var collector = await OtlpCollector.StartAsync();
        using (var factory = new JobsApiFactory())
        {
            using var host = factory.WithWebHostBuilder(b => b
                .UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Url)
                .UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
            var client = host.CreateClient();
            await client.GetAsync("/jobs/does-not-exist");
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Jobs.Test").LogWarning("to the collector");

            // Flushing waits for each export to be answered (disposing would give up after a timeout).
            Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush());
            Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush());
            Assert.True(host.Services.GetRequiredService<LoggerProvider>().ForceFlush());
        }

        var paths = string.Join(", ", collector.Paths);
        Assert.True(collector.Paths.Contains("/v1/traces"), paths);
        Assert.True(collector.Paths.Contains("/v1/metrics"), paths);
        Assert.True(collector.Paths.Contains("/v1/logs"), paths);
    }

    /// <summary>An OTLP/HTTP endpoint on a loopback port that records which signal paths were posted.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private OtlpCollector(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentBag<string> Paths { get; } = [];

        public static async Task<OtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            OtlpCollector? collector = null;
            app.MapPost("/v1/{signal}", async (HttpRequest request) =>
            {
                await request.Body.CopyToAsync(Stream.Null);
                collector!.Paths.Add(request.Path.Value!);
                return Results.Ok();
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            collector = new OtlpCollector(app, address);
            return collector;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
