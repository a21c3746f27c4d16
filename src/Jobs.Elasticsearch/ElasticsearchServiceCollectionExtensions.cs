using Amazon.Runtime;
using Elastic.Clients.Elasticsearch;
using Jobs.Aws;
using Jobs.Core.Notifications;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Auth;
using Jobs.Elasticsearch.Bootstrap;
using Jobs.Elasticsearch.Cluster;
using Jobs.Elasticsearch.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.Elasticsearch;

public static class ElasticsearchServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Elasticsearch store (section <c>Jobs:Elasticsearch</c>) as IJobStore and
    /// IProcessRegistry: one singleton over the official client (Elastic.Clients.Elasticsearch on
    /// Elastic.Transport) with the configured node pool, authentication (a fixed header, or
    /// SigV4 signing of each attempt), TLS trust and retries (<see cref="ClusterConnection"/>).
    /// Options are validated at start; the indices are bootstrapped by a hosted service (and on
    /// first use where there is no host).
    /// </summary>
    public static IServiceCollection AddElasticsearchJobStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ElasticsearchOptions>()
            .Bind(configuration.GetSection(ElasticsearchOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ElasticsearchOptions>>(
            new ElasticsearchOptionsValidator(Environment.GetEnvironmentVariable)));
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        // The settings own the node pool and the invoker's connections: the container disposes them.
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value;
            return ClusterConnection.Settings(options, SigningHandler(provider, options));
        });
        services.AddSingleton(provider => new ElasticsearchClient(provider.GetRequiredService<ElasticsearchClientSettings>()));
        services.AddSingleton<ElasticsearchHttpClient>();
        services.AddSingleton<IndexBootstrapper>();
        // The job events' outbox: events are added only when a publisher (IEventPublisher) is registered.
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<JobOutbox>(provider));
        services.AddSingleton<IOutboxSweeper>(provider => provider.GetRequiredService<JobOutbox>());
        // Subscriptions and deliveries beside the jobs (the hosts on AWS have no local disk to keep them).
        services.AddSingleton<INotificationStore, ElasticsearchNotificationStore>();
        services.AddSingleton<UpdateBatch>();
        services.AddSingleton<ElasticsearchJobStore>();
        services.AddSingleton<IJobStore>(provider => provider.GetRequiredService<ElasticsearchJobStore>());
        services.AddSingleton<IProcessRegistry>(provider => provider.GetRequiredService<ElasticsearchJobStore>());
        services.AddHostedService<BootstrapHostedService>();
        return services;
    }

    /// <summary>A new SigV4 handler for each handler chain when SigV4 is configured, else null.</summary>
    private static Func<DelegatingHandler>? SigningHandler(IServiceProvider provider, ElasticsearchOptions options)
    {
        if (options.EffectiveAuth() != ElasticsearchAuth.SigV4)
        {
            return null;
        }

        var region = AwsRegionResolver.Resolve(options, Environment.GetEnvironmentVariable)
            ?? throw new InvalidOperationException("SigV4 signing needs a region: set Jobs__Elasticsearch__AwsRegion or AWS_REGION.");
        var credentials = new AwsCredentialsSource(provider.GetService<AWSCredentials>());
        var time = provider.GetRequiredService<TimeProvider>();
        return () => new SigV4Handler(credentials.GetAsync, region, options.AwsService, time);
    }
}
