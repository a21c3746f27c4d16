using Jobs.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs.Hosting.Health;

/// <summary>
/// Readiness from the store port's own probe (<see cref="IJobStore.CheckHealthAsync"/>): healthy
/// when the store can serve requests, unhealthy otherwise, with the store's explanation either way.
/// A store adapter that registers checks of its own (tagged <see cref="HealthTags.Ready"/>) can
/// replace this one.
/// </summary>
public sealed class JobStoreHealthCheck(IJobStore store) : IHealthCheck
{
    /// <summary>The name the check reports under (<c>checks.store</c> in the health body).</summary>
    public const string Name = "store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await store.CheckHealthAsync(cancellationToken);
        return health.Ready
            ? HealthCheckResult.Healthy(health.Description)
            : new HealthCheckResult(context.Registration.FailureStatus, health.Description);
    }
}
