using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs.Embedded;

/// <summary>
/// Readiness of the embedded store: unhealthy while it refuses writes (a write could not be made
/// durable, and it has not reopened yet), degraded while its checkpoints fail (it serves, the
/// log grows), healthy otherwise, with the reason either way. It follows the store's background
/// work, so it comes back to healthy by itself.
/// </summary>
public sealed class EmbeddedStoreHealthCheck(EmbeddedJobStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Health);
}
