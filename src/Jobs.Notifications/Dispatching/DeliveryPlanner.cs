using System.Text.Json.Nodes;
using Jobs.Core.Notifications;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Notifications.Dispatching;

/// <summary>
/// Which deliveries a run of events makes: for each event, the subscriptions it concerns
/// (<see cref="Subscription.Covers"/>, then the DSL query if any), one rendered delivery each,
/// keyed by subscription and event id (so planning an event again makes the same deliveries).
/// Fire-once subscriptions match once in the run and are named to be retired. Used by the
/// outbox dispatcher (embedded store) and the queued-events handler (events from a queue).
/// </summary>
public sealed partial class DeliveryPlanner(INotificationStore state, IJobStore jobs, IEventRenderer renderer, TimeProvider time, ILogger<DeliveryPlanner> logger)
{
    public async Task<(List<Delivery> Deliveries, HashSet<string> Retired)> PlanAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        var deliveries = new List<Delivery>();
        var retired = new HashSet<string>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var e in events)
        {
            foreach (var subscription in await state.CandidatesAsync(e.JobId, cancellationToken).ConfigureAwait(false))
            {
                if (retired.Contains(subscription.Id) || !subscription.Covers(e) || !await QueryMatchesAsync(subscription, e, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                deliveries.Add(NewDelivery(subscription, e, now));
                if (!subscription.Persistent)
                {
                    retired.Add(subscription.Id);
                }
            }
        }

        return (deliveries, retired);
    }

    private Delivery NewDelivery(Subscription subscription, OutboxEvent e, DateTimeOffset now)
    {
        var url = UrlTemplate.Expand(subscription.Url, e, renderer.JobUrl(e.JobId));
        return new Delivery
        {
            Id = $"{subscription.Id}-{e.Id}",
            SubscriptionId = subscription.Id,
            Sequence = e.Sequence,
            EventId = e.Id,
            JobId = e.JobId,
            EventType = e.Type,
            Url = url,
            Body = renderer.Render(e, subscription.Style, subscription.Id),
            Subject = subscription.IsEmail ? $"Job {e.JobId} ({e.Job.ProcessId}) {Core.Jobs.JobStatuses.ToOgcValue(e.Job.Status)}: {e.Type}" : null,
            Created = now,
            NextAttempt = now,
        };
    }

    /// <summary>A subscription's DSL query, run against the job now (scoped to its owner): does the job match?</summary>
    private async Task<bool> QueryMatchesAsync(Subscription subscription, OutboxEvent e, CancellationToken cancellationToken)
    {
        if (subscription.Query is null)
        {
            return true;
        }

        var filters = new JsonArray(new JsonObject { ["ids"] = new JsonObject { ["values"] = new JsonArray(e.JobId) } }, JsonNode.Parse(subscription.Query));
        if (!subscription.OwnerIsAdmin)
        {
            filters.Add(new JsonObject { ["term"] = new JsonObject { ["user-id"] = subscription.Owner } });
        }

        var request = new JsonObject { ["size"] = 0, ["track_total_hits"] = true, ["query"] = new JsonObject { ["bool"] = new JsonObject { ["filter"] = filters } } };
        try
        {
            var response = await jobs.SearchAsync(request, cancellationToken).ConfigureAwait(false);
            return response["hits"]?["total"]?["value"]?.GetValue<long>() > 0;
        }
        catch (SearchException ex)
        {
            LogQueryFailed(subscription.Id, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Id}: its query failed ({Reason}); the event is not delivered to it")]
    private partial void LogQueryFailed(string id, string reason);
}
