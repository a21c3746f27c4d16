using Jobs.Core.Notifications;
using Jobs.Notifications.Dispatching;
using Jobs.Notifications.Stalled;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobs.Notifications;

/// <summary>
/// Runs the outbox dispatcher, the delivery sender and the stalled-job detector for the host's
/// lifetime, on a store that keeps an outbox. On one that does not (Elasticsearch, so the Lambda
/// API) it starts nothing, and the notification state is never opened.
/// </summary>
internal sealed class NotificationsHostedService(IServiceProvider services) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IJobOutbox>() is null)
        {
            return Task.CompletedTask;
        }

        var dispatcher = services.GetRequiredService<OutboxDispatcher>();
        var sender = services.GetRequiredService<DeliverySender>();
        var stalled = services.GetRequiredService<StalledJobDetector>();
        dispatcher.Queued += sender.Wake;
        return Task.WhenAll(
            Task.Run(() => dispatcher.RunAsync(stoppingToken), stoppingToken),
            Task.Run(() => sender.RunAsync(stoppingToken), stoppingToken),
            Task.Run(() => stalled.RunAsync(stoppingToken), stoppingToken));
    }
}
