using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static Jobs.Functions.Tests.TestMessages;

namespace Jobs.Functions.Tests.Lambda;

/// <summary>The consumer's OpenTelemetry, from the same service defaults as the API's.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task An_event_is_traced_its_outcomes_are_counted_and_its_logs_are_exported()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var logs = new List<LogRecord>();
        await using var host = await EventsHost.StartAsync(services => services.AddOpenTelemetry()
            .WithTracing(t => t.AddInMemoryExporter(spans))
            .WithMetrics(m => m.AddInMemoryExporter(metrics))
            .WithLogging(l => l.AddInMemoryExporter(logs)));
        host.Store.Add(Job("0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012"));

        await host.Client.PostAsync("/events", new StringContent(Fixture("sqs-event.json"), Encoding.UTF8, "application/json"));
        await host.Client.GetAsync("/health");
        var services = host.Services;
        services.GetRequiredService<TracerProvider>().ForceFlush();
        services.GetRequiredService<MeterProvider>().ForceFlush();
        services.GetRequiredService<LoggerProvider>().ForceFlush();

        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal("POST /events", server.DisplayName);
        var updates = Assert.Single(metrics, m => m.Name == "jobs.updates");
        Assert.Equal("Jobs.Updates", updates.MeterName);
        Assert.Contains(metrics, m => m.Name == "http.server.request.duration");

        // The poison message of the recorded event is logged as rejected.
        Assert.Contains(logs, l => l.LogLevel >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }
}
