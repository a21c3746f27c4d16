using Jobs.Core.Notifications;
using Jobs.Notifications.Dispatching;
using Jobs.Notifications.Email;
using Jobs.Notifications.Queue;
using Jobs.Notifications.Stalled;
using Jobs.Notifications.Storage;
using Jobs.Notifications.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Subscriptions and their deliveries (<c>Jobs:Notifications</c>), stalled-job detection
    /// (<c>Jobs:Stalled</c>): the SQLite state, the webhook and e-mail senders, and, when the store
    /// has an outbox and <c>Jobs:Notifications:Enabled</c> is not false, the background loops. The
    /// host supplies an <see cref="IEventRenderer"/>.
    /// </summary>
    public static IServiceCollection AddJobNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName)
            .Validate(o => o.MaxAttempts >= 1 && o.RetryInitialSeconds > 0 && o.TimeoutSeconds > 0 && o.MaxResponseBytes > 0,
                "Jobs:Notifications: MaxAttempts, RetryInitialSeconds, TimeoutSeconds and MaxResponseBytes must be positive.")
            .ValidateOnStart();
        services.AddOptions<StalledOptions>().BindConfiguration(StalledOptions.SectionName)
            .Validate(o => o.CheckEvery > TimeSpan.Zero, "Jobs:Stalled:CheckEvery must be positive.")
            .ValidateOnStart();
        // A store that keeps notification state itself (Elasticsearch) registered its own first.
        services.TryAddSingleton<INotificationStore>(sp => new SqliteNotificationStore(
            sp.GetRequiredService<IOptions<NotificationOptions>>().Value.StatePath
            ?? Path.Combine(configuration["Jobs:Embedded:DataPath"] ?? "data", "notifications.db")));
        services.AddSingleton(sp => new WebhookSender(sp.GetRequiredService<IOptions<NotificationOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EmailSender(sp.GetRequiredService<IOptions<NotificationOptions>>().Value.Smtp));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<DeliverySender>(sp, sp.GetRequiredService<IOptions<NotificationOptions>>().Value));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<StalledJobDetector>(sp, sp.GetRequiredService<IOptions<StalledOptions>>().Value));
        services.AddSingleton<DeliveryPlanner>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<OutboxDispatcher>(sp, sp.GetRequiredService<IJobOutbox>()));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<QueuedEvents>(sp));
        if (configuration.GetValue($"{NotificationOptions.SectionName}:Enabled", true))
        {
            services.AddHostedService<NotificationsHostedService>();
        }

        return services;
    }
}
