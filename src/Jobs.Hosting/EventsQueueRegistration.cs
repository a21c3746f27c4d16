using Jobs.Aws;
using Jobs.Aws.Events;
using Jobs.Core.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Hosting;

/// <summary>The job events queue of a store that publishes its events (Elasticsearch): <c>Jobs:Events:QueueUrl</c>.</summary>
public static class EventsQueueRegistration
{
    /// <summary>
    /// With <c>Jobs:Events:QueueUrl</c> set, the SQS publisher as the store's
    /// <see cref="IEventPublisher"/> (every host that writes jobs must have it, or its writes add
    /// no events); without it, nothing.
    /// </summary>
    public static IServiceCollection AddEventsQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsQueueOptions>().BindConfiguration(EventsQueueOptions.SectionName)
            .Validate(o => o.QueueUrl is null || (Uri.IsWellFormedUriString(o.QueueUrl, UriKind.Absolute) && o.QueueUrl.EndsWith(".fifo", StringComparison.Ordinal)),
                "Jobs:Events:QueueUrl must be the absolute URL of an SQS FIFO queue (…/<name>.fifo): a job's events must stay in order.")
            .ValidateOnStart();
        if (!string.IsNullOrWhiteSpace(configuration[$"{EventsQueueOptions.SectionName}:QueueUrl"]))
        {
            services.AddSingleton<IEventPublisher>(provider =>
            {
                var options = provider.GetRequiredService<IOptions<EventsQueueOptions>>().Value;
                // A write waits for its publish: an unreachable queue must cost it seconds, not the SDK's
                // default minutes (the events stay in the jobs for the sweep).
                var sqs = SqsClients.Create(options.QueueUrl, options.ServiceUrl, options.Region, config =>
                {
                    config.Timeout = TimeSpan.FromSeconds(5);
                    config.MaxErrorRetry = 1;
                });
                return new SqsEventPublisher(sqs, options.QueueUrl!);
            });
        }

        return services;
    }
}
