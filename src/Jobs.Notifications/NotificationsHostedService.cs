using Jobs.Notifications.Dispatching;
using Jobs.Notifications.Stalled;
using Microsoft.Extensions.Hosting;

namespace Jobs.Notifications;

/// <summary>Runs the outbox dispatcher, the delivery sender and the stalled-job detector for the host's lifetime.</summary>
internal sealed class NotificationsHostedService(OutboxDispatcher dispatcher, DeliverySender sender, StalledJobDetector stalled) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        dispatcher.Queued += sender.Wake;
        return Task.WhenAll(
            Task.Run(() => dispatcher.RunAsync(stoppingToken), stoppingToken),
            Task.Run(() => sender.RunAsync(stoppingToken), stoppingToken),
            Task.Run(() => stalled.RunAsync(stoppingToken), stoppingToken));
    }
}
