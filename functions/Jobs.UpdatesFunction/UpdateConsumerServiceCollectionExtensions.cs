using Amazon.SQS;
using Jobs.Aws;
using Jobs.UpdatesFunction.Consumer;
using Jobs.UpdatesFunction.Polling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.UpdatesFunction;

public static class UpdateConsumerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the consumer core (section <c>Jobs:Updates</c>), its metrics, and the SQS poller
    /// when <c>Jobs:Updates:QueueUrl</c> is set. The store comes from <c>AddJobStore</c>; the
    /// meter is exported by the service defaults (<c>AddServiceDefaults</c>).
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
            services.TryAddSingleton<IAmazonSQS>(sp =>
            {
                var o = sp.GetRequiredService<IOptions<UpdatesOptions>>().Value;
                return SqsClients.Create(o.QueueUrl, o.ServiceUrl, o.Region);
            });
            services.TryAddSingleton<IQueueClient, SqsQueueClient>();
            services.AddHostedService<SqsPoller>();
        }

        return services;
    }
}
