using Jobs.Core.Execution;

namespace Jobs.Core.Notifications;

/// <summary>New subscriptions: from an execute request's <c>notifications</c> and OGC <c>subscriber</c>, or from the subscriptions API.</summary>
public static class SubscriptionFactory
{
    public static string NewId() => "sub-" + Guid.CreateVersion7().ToString("N");

    /// <summary>
    /// The job's own subscriptions from its execute request. OGC API - Processes Part 1's
    /// callbacks: <c>successUri</c> gets the results document when the job succeeds,
    /// <c>inProgressUri</c> the statusInfo when it starts running and as it progresses,
    /// <c>failedUri</c> the statusInfo when it fails (or is dismissed).
    /// </summary>
    public static IReadOnlyList<Subscription> FromExecute(ExecuteRequest request, string jobId, string owner, bool ownerIsAdmin, DateTimeOffset now)
    {
        var list = new List<Subscription>();
        Subscription New(string url, IReadOnlyList<string> events, bool persistent, DeliveryStyle style) => new()
        {
            Id = NewId(),
            Owner = owner,
            OwnerIsAdmin = ownerIsAdmin,
            JobId = jobId,
            Url = url,
            Events = events,
            Persistent = persistent,
            Style = style,
            Secret = WebhookSignature.NewSecret(),
            Created = now,
        };

        foreach (var n in request.Notifications)
        {
            list.Add(New(n.Url, [n.Event], n.Persistent, DeliveryStyle.Event));
        }

        if (request.Subscriber is { } s)
        {
            if (s.SuccessUri is { } success)
            {
                list.Add(New(success, ["successful"], persistent: true, DeliveryStyle.OgcResults));
            }

            if (s.InProgressUri is { } progress)
            {
                list.Add(New(progress, ["running", EventNames.Progress], persistent: true, DeliveryStyle.OgcStatusInfo));
            }

            if (s.FailedUri is { } failed)
            {
                list.Add(New(failed, ["failed", "dismissed"], persistent: true, DeliveryStyle.OgcStatusInfo));
            }
        }

        return list;
    }
}
