using Jobs.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobs.Elasticsearch.Bootstrap;

/// <summary>
/// Bootstraps the indices when the host starts. An incompatible index stops the host with its
/// message; an unreachable cluster does not (the store reports not ready, and bootstraps on
/// first use once the cluster answers).
/// </summary>
internal sealed partial class BootstrapHostedService(IndexBootstrapper bootstrapper, ILogger<BootstrapHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await bootstrapper.EnsureAsync(cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            LogUnreachable(e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch is not ready at start; the store will bootstrap on first use: {Reason}")]
    private partial void LogUnreachable(string reason);
}
