using Amazon.SQS;
using Jobs.UpdatesFunction.Consumer;
using Jobs.UpdatesFunction.Polling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Jobs.UpdatesFunction;

public static class UpdateConsumerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the consumer core (section <c>Jobs:Updates</c>), its metrics, and the SQS poller
    /// when <c>Jobs:Updates:QueueUrl</c> is set. The store comes from <c>AddJobStore</c>.
    /// </summary>
    public static IServiceCollection AddUpdateConsumer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UpdatesOptions>()
            .BindConfiguration(UpdatesOptions.Section)
            .Validate(o => o.MaxConcurrentBatches is >= 1 and <= 64, "Jobs:Updates:MaxConcurrentBatches must be 1 to 64.")
            .Validate(o => o.BatchSize is >= 1 and <= 10, "Jobs:Updates:BatchSize must be 1 to 10 (the SQS limit per receive).")
            .Validate(o => o.WaitTimeSeconds is >= 0 and <= 20, "Jobs:Updates:WaitTimeSeconds must be 0 to 20.")
            .Validate(o => o.VisibilityTimeout >= TimeSpan.FromSeconds(2) && o.VisibilityTimeout <= TimeSpan.FromHours(12),
                "Jobs:Updates:VisibilityTimeout must be 2 seconds to 12 hours.")
            .Validate(o => o.CreationWindow >= TimeSpan.Zero, "Jobs:Updates:CreationWindow must not be negative.")
            .Validate(o => o.QueueUrl is null || Uri.IsWellFormedUriString(o.QueueUrl, UriKind.Absolute),
                "Jobs:Updates:QueueUrl must be an absolute URL (https://sqs.<region>.amazonaws.com/<account>/<queue>).")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<UpdateMetrics>();
        services.TryAddSingleton<UpdateBatchProcessor>();

        if (!string.IsNullOrWhiteSpace(configuration[$"{UpdatesOptions.Section}:QueueUrl"]))
        {
            services.TryAddSingleton<IAmazonSQS>(sp => SqsClientFactory.Create(sp.GetRequiredService<IOptions<UpdatesOptions>>().Value));
            services.TryAddSingleton<IQueueClient, SqsQueueClient>();
            services.AddHostedService<SqsPoller>();
        }

        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(UpdateMetrics.MeterName);

            // Exporters by the standard OpenTelemetry variables: OTLP when an endpoint is set,
            // the console when asked for (OTEL_METRICS_EXPORTER=console).
            if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                metrics.AddOtlpExporter();
            }

            if (configuration["OTEL_METRICS_EXPORTER"]?.Split(',').Contains("console", StringComparer.OrdinalIgnoreCase) == true)
            {
                metrics.AddConsoleExporter();
            }
        });
        return services;
    }
}
