using Jobs.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobs.Elasticsearch.Bootstrap;

/// <summary>
/// Bootstraps the indices when the host starts. An incompatible index stops the host with its
/// message; an unreachable or slow cluster does not (the store reports not ready, and bootstraps
/// on first use once the cluster answers). Start-up waits at most <see cref="StartupWait"/>, so
/// a slow cluster cannot hold the host past a platform's start-up limit (Lambda allows 10 s).
/// </summary>
internal sealed partial class BootstrapHostedService(IndexBootstrapper bootstrapper, ILogger<BootstrapHostedService> logger) : IHostedService
{
    internal static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(StartupWait);
        try
        {
            await bootstrapper.EnsureAsync(wait.Token);
        }
        catch (StoreUnavailableException e)
        {
            LogUnreachable(e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable($"no answer within {StartupWait.TotalSeconds:0} s");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch is not ready at start; the store will bootstrap on first use: {Reason}")]
    private partial void LogUnreachable(string reason);
}
