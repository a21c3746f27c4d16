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

        // Activity listeners are process-wide and other tests' hosts serve /events too: this
        // request carries a trace id of its own (W3C traceparent), and the test looks for that.
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events")
        {
            Content = new StringContent(Fixture("sqs-event.json"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        await host.Client.SendAsync(request);
        await host.Client.GetAsync("/health");
        var services = host.Services;
        services.GetRequiredService<TracerProvider>().ForceFlush();
        services.GetRequiredService<MeterProvider>().ForceFlush();
        services.GetRequiredService<LoggerProvider>().ForceFlush();

        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.TraceId == trace);
        Assert.Equal("POST /events", server.DisplayName);
        Assert.DoesNotContain(spans, s => (s.GetTagItem("url.path") as string)?.StartsWith("/health", StringComparison.Ordinal) == true);
        Assert.Contains(metrics, m => m.Name == "jobs.updates" && m.MeterName == "Jobs.Updates");
        Assert.Contains(metrics, m => m.Name == "http.server.request.duration");

        // The poison message of the recorded event is logged as rejected.
        Assert.Contains(logs, l => l.LogLevel >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }
}
