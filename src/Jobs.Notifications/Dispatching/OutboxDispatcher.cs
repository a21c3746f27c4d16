using Jobs.Core.Notifications;
using Jobs.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Notifications.Dispatching;

/// <summary>
/// Turns the outbox into deliveries: reads the events after its durable cursor, plans their
/// deliveries (<see cref="DeliveryPlanner"/>), and stores them with the new cursor in one
/// transaction. A crash between the read and that transaction reads the same events again;
/// after it, every event is queued exactly once. Fire-once subscriptions retire as they match.
/// </summary>
[method: ActivatorUtilitiesConstructor]
public sealed partial class OutboxDispatcher(
    IJobOutbox outbox, INotificationStore state, DeliveryPlanner planner, TimeProvider time, ILogger<OutboxDispatcher> logger)
{
    /// <summary>A dispatcher with its own planner over <paramref name="jobs"/> (the DSL queries) and <paramref name="renderer"/>.</summary>
    public OutboxDispatcher(IJobOutbox outbox, INotificationStore state, IJobStore jobs, IEventRenderer renderer, TimeProvider time, ILogger<OutboxDispatcher> logger)
        : this(outbox, state, new DeliveryPlanner(state, jobs, renderer, time, NullLogger<DeliveryPlanner>.Instance), time, logger)
    {
    }

    public const string Consumer = "deliveries";
    private const int PageSize = 256;

    /// <summary>Raised after deliveries were queued (the sender wakes up).</summary>
    public event Action? Queued;

    /// <summary>One pass: queues the deliveries of up to one page of events; returns how many events it read.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cursor = await state.GetCursorAsync(Consumer, cancellationToken).ConfigureAwait(false);
        outbox.Handled(Consumer, cursor); // the outbox keeps what is after it, however old
        var events = await outbox.ReadAsync(cursor, null, PageSize, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0)
        {
            return 0;
        }

        var (deliveries, retired) = await planner.PlanAsync(events, cancellationToken).ConfigureAwait(false);
        await state.EnqueueAsync(deliveries, Consumer, events[^1].Sequence, cancellationToken).ConfigureAwait(false);
        outbox.Handled(Consumer, events[^1].Sequence);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Queuing deliveries from the outbox failed; trying again")]
    private partial void LogFailed(Exception e);
}
