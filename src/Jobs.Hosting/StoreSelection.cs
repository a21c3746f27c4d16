using Jobs.Elasticsearch;
using Jobs.Embedded;
using Jobs.Hosting.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Hosting;

/// <summary>Picks the store adapter named by <c>Jobs:Store</c> (<c>Jobs__Store</c>): embedded by default.</summary>
public static class StoreSelection
{
    public const string Key = "Jobs:Store";
    public const string Embedded = "embedded";
    public const string Elasticsearch = "elasticsearch";

    /// <summary>
    /// Registers IJobStore and IProcessRegistry from the configured adapter, and the store's
    /// readiness check (<c>GET /health</c>).
    /// </summary>
    public static IServiceCollection AddJobStore(this IServiceCollection services, IConfiguration configuration)
    {
        var name = configuration[Key] ?? Embedded;
        return name.ToLowerInvariant() switch
        {
            // The embedded store's own check follows its background work (degraded, recovering).
            Embedded => services.AddEmbeddedJobStore(configuration)
                .AddHealthChecks().AddCheck<EmbeddedStoreHealthCheck>(JobStoreHealthCheck.Name, tags: [HealthTags.Ready]).Services,
            // Its job events go out through the events queue, when one is configured.
            Elasticsearch => services.AddElasticsearchJobStore(configuration).AddEventsQueue(configuration)
                .AddHealthChecks().AddJobStoreCheck().Services,
            _ => throw new InvalidOperationException(
                $"Unknown store '{name}' in {Key} (Jobs__Store): use '{Embedded}' (the default, a Lucene index on local disk) or '{Elasticsearch}'."),
        };
    }

    /// <summary>
    /// The readiness check over <c>IJobStore.CheckHealthAsync</c>, tagged <see cref="HealthTags.Ready"/>
    /// (for hosts and tests that register their IJobStore themselves).
    /// </summary>
    public static IHealthChecksBuilder AddJobStoreCheck(this IHealthChecksBuilder checks) =>
        checks.AddCheck<JobStoreHealthCheck>(JobStoreHealthCheck.Name, tags: [HealthTags.Ready]);
}
