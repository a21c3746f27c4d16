using Jobs.Core.Notifications;

namespace Jobs.Notifications;

/// <summary>
/// What the host renders for deliveries (the API's statusInfo and results documents, with its
/// public links): the body of a delivery, and the job's URL for <c>${JOB_URL}</c>.
/// </summary>
public interface IEventRenderer
{
    string JobUrl(string jobId);

    /// <summary>The JSON body of a delivery of <paramref name="e"/> in the given style.</summary>
    string Render(OutboxEvent e, DeliveryStyle style, string subscriptionId);
}
