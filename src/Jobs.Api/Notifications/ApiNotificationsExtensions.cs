using Jobs.Notifications;

namespace Jobs.Api.Notifications;

public static class ApiNotificationsExtensions
{
    /// <summary>Subscriptions, deliveries and stalled-job detection, with deliveries rendered as the API renders jobs.</summary>
    public static IServiceCollection AddApiNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IEventRenderer, ApiEventRenderer>();
        return services.AddJobNotifications(configuration);
    }
}
