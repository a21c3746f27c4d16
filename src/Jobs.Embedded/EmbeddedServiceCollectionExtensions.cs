using Jobs.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Embedded;

public static class EmbeddedServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded store (section <c>Jobs:Embedded</c>) as IJobStore, IProcessRegistry and IJobOutbox:
    /// one <see cref="EmbeddedJobStore"/> per container, opened on first use and closed (log
    /// flushed, index committed) when the container is disposed. Its readiness check is
    /// <see cref="EmbeddedStoreHealthCheck"/> (the host registers it with its tags).
    /// </summary>
    public static IServiceCollection AddEmbeddedJobStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmbeddedStoreOptions>()
            .BindConfiguration(EmbeddedStoreOptions.SectionName)
            .Configure(options => configuration.GetSection(Jobs.Search.Limits.SearchLimits.SectionName).Bind(options.Search))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new EmbeddedJobStore(
            sp.GetRequiredService<IOptions<EmbeddedStoreOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<EmbeddedJobStore>>()));

        // The same instance behind both ports (the container may dispose it once per registration: Dispose is idempotent).
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<EmbeddedJobStore>());
        services.AddSingleton<IProcessRegistry>(sp => sp.GetRequiredService<EmbeddedJobStore>());
        services.AddSingleton<Jobs.Core.Notifications.IJobOutbox>(sp => sp.GetRequiredService<EmbeddedJobStore>());
        return services;
    }
}
