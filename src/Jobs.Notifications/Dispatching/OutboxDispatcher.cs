using System.Text.Json.Nodes;
using Jobs.Core.Notifications;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Notifications.Dispatching;

/// <summary>
/// Turns the outbox into deliveries: reads the events after its durable cursor, finds the
/// subscriptions each concerns (<see cref="Subscription.Covers"/>, then the DSL query if any),
/// renders one delivery per subscription, and stores them with the new cursor in one
/// transaction. A crash between the read and that transaction reads the same events again;
/// after it, every event is queued exactly once. Fire-once subscriptions retire as they match.
/// </summary>
public sealed partial class OutboxDispatcher(
    IJobOutbox outbox, INotificationStore state, IJobStore jobs, IEventRenderer renderer, TimeProvider time, ILogger<OutboxDispatcher> logger)
{
    public const string Consumer = "deliveries";
    private const int PageSize = 256;

    /// <summary>Raised after deliveries were queued (the sender wakes up).</summary>
    public event Action? Queued;

    /// <summary>One pass: queues the deliveries of up to one page of events; returns how many events it read.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cursor = await state.GetCursorAsync(Consumer, cancellationToken).ConfigureAwait(false);
        var events = await outbox.ReadAsync(cursor, null, PageSize, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0)
        {
            return 0;
        }

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

        await state.EnqueueAsync(deliveries, Consumer, events[^1].Sequence, cancellationToken).ConfigureAwait(false);
        foreach (var id in retired)
        {
            await state.RetireSubscriptionAsync(id, cancellationToken).ConfigureAwait(false);
        }

        if (deliveries.Count > 0)
        {
            Queued?.Invoke();
        }

        return events.Count;
    }

    /// <summary>Runs until stopped: a pass whenever the outbox has news.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    var cursor = await state.GetCursorAsync(Consumer, cancellationToken).ConfigureAwait(false);
                    await outbox.WaitAsync(cursor, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Nothing is lost (the cursor did not move); try again shortly.
                LogFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            }
        }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Queuing deliveries from the outbox failed; trying again")]
    private partial void LogFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Id}: its query failed ({Reason}); the event is not delivered to it")]
    private partial void LogQueryFailed(string id, string reason);
}
