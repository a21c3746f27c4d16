using System.Text.Json;
using Jobs.Core.Notifications;
using Jobs.Notifications.Dispatching;
using Jobs.Notifications.Stalled;
using Microsoft.Extensions.Logging;

namespace Jobs.Notifications.Queue;

/// <summary>
/// The notifier's work where a store publishes its events to a queue (Elasticsearch on AWS:
/// docs/notifications.md, "On AWS"): a batch of queued events becomes deliveries
/// (<see cref="DeliveryPlanner"/>, stored with ids derived from the event ids, so a duplicate
/// event makes no second delivery), which are then tried at once; a scheduled tick sweeps the
/// store's unpublished events, marks stalled jobs and tries the deliveries whose retry is due
/// (<see cref="DeliverySender"/>, with its <see cref="RetryPolicy"/>).
/// </summary>
public sealed partial class QueuedEvents(
    DeliveryPlanner planner,
    INotificationStore state,
    DeliverySender sender,
    StalledJobDetector stalled,
    ILogger<QueuedEvents> logger,
    IOutboxSweeper? sweeper = null)
{
    private const int MaxSendPasses = 8;

    /// <summary>
    /// Queues the deliveries of each message's event, in order, then sends what is due. Returns
    /// the ids of the messages to receive again: the first that failed and every one after it
    /// (a FIFO queue's order must hold). Sending failures are the deliveries' own (recorded,
    /// retried on the schedule), not the messages'.
    /// </summary>
    public async Task<IReadOnlyList<string>> HandleAsync(IReadOnlyList<QueueRecord> records, CancellationToken cancellationToken)
    {
        var failed = new List<string>();
        foreach (var record in records)
        {
            if (failed.Count > 0)
            {
                failed.Add(record.MessageId);
                continue;
            }

            try
            {
                var e = OutboxEventJson.Parse(record.Body);
                var (deliveries, retired) = await planner.PlanAsync([e], cancellationToken).ConfigureAwait(false);
                await state.EnqueueAsync(deliveries, OutboxDispatcher.Consumer, 0, cancellationToken).ConfigureAwait(false);
                foreach (var id in retired)
                {
                    await state.RetireSubscriptionAsync(id, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A message that is no event fails every time and ends in the dead-letter queue, kept for a look.
                LogMessageFailed(ex, record.MessageId, ex is JsonException ? "it is no job event" : ex.Message);
                failed.Add(record.MessageId);
            }
        }

        await SendDueAsync(cancellationToken).ConfigureAwait(false);
        return failed;
    }

    /// <summary>The scheduled pass: the outbox sweep, stalled-job detection, and the deliveries due.</summary>
    public async Task<TickResult> TickAsync(CancellationToken cancellationToken)
    {
        var swept = sweeper is null ? 0 : await sweeper.SweepAsync(cancellationToken).ConfigureAwait(false);
        var marked = await stalled.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        var sent = await SendDueAsync(cancellationToken).ConfigureAwait(false);
        return new TickResult(swept, marked, sent);
    }

    private async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        try
        {
            for (var pass = 0; pass < MaxSendPasses; pass++)
            {
                var tried = await sender.RunOnceAsync(cancellationToken).ConfigureAwait(false);
                sent += tried;
                if (tried == 0)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The deliveries stay pending; the next tick tries them.
            LogSendFailed(e);
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued job event {MessageId} was not handled ({Reason}); it and the rest of its batch are received again")]
    private partial void LogMessageFailed(Exception e, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending the due deliveries failed; the next tick tries again")]
    private partial void LogSendFailed(Exception e);
}

/// <summary>One queue message: its id (what a partial batch failure names) and body.</summary>
public sealed record QueueRecord(string MessageId, string Body);

/// <summary>What a scheduled pass did: events published by the sweep, jobs marked or failed as stalled, deliveries tried.</summary>
public sealed record TickResult(int Swept, int Stalled, int Sent);
