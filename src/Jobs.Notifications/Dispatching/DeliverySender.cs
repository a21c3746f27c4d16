using Jobs.Core.Notifications;
using Jobs.Notifications.Email;
using Jobs.Notifications.Webhooks;
using Microsoft.Extensions.Logging;

namespace Jobs.Notifications.Dispatching;

/// <summary>
/// Sends the deliveries that are due: one try each (webhook or e-mail), recorded with its status
/// code and error; a failure waits as the <see cref="RetryPolicy"/> says and is tried again,
/// until the last try marks it failed. Each (subscription, job) has at most one delivery in
/// flight, the earliest, so a job's events arrive in order. Time comes from the
/// <see cref="TimeProvider"/>, so tests move the clock instead of sleeping.
/// </summary>
public sealed partial class DeliverySender(
    INotificationStore state, WebhookSender webhooks, EmailSender email, NotificationOptions options, TimeProvider time, ILogger<DeliverySender> logger)
{
    private readonly RetryPolicy _retry = options.Retry;
    private readonly object _gate = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Tells the sender new deliveries were queued.</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _wake.TrySetResult();
        }
    }

    /// <summary>One pass: sends every delivery due now (up to a page); returns how many it tried.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = await state.DueAsync(time.GetUtcNow(), Math.Max(1, options.MaxParallel) * 4, cancellationToken).ConfigureAwait(false);
        using var slots = new SemaphoreSlim(Math.Max(1, options.MaxParallel));
        await Task.WhenAll(due.Select(async d =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await TryAsync(d, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
        return due.Count;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Task woken;
            lock (_gate)
            {
                if (_wake.Task.IsCompleted)
                {
                    _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                woken = _wake.Task;
            }

            try
            {
                if (await RunOnceAsync(cancellationToken).ConfigureAwait(false) > 0)
                {
                    continue;
                }

                var next = await state.NextDueAsync(cancellationToken).ConfigureAwait(false);
                var wait = next is { } at ? at - time.GetUtcNow() : TimeSpan.FromMinutes(1);
                if (wait > TimeSpan.Zero)
                {
                    await Task.WhenAny(woken, Task.Delay(wait, time, cancellationToken)).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task TryAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var subscription = await state.GetSubscriptionAsync(delivery.SubscriptionId, cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        var result = subscription is null
            ? new SendResult(false, null, "the subscription was deleted", Permanent: true)
            : subscription.IsEmail
                ? await email.SendAsync(delivery, cancellationToken).ConfigureAwait(false)
                : await webhooks.SendAsync(delivery, subscription.Secret, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var attempt = new DeliveryAttempt(now, result.StatusCode, result.Delivered ? null : result.Error, time.GetElapsedTime(started).TotalMilliseconds);
        var tries = delivery.Attempts.Count + 1;
        var (outcome, next) = result.Delivered
            ? (DeliveryState.Delivered, now)
            : result.Permanent || tries >= _retry.MaxAttempts
                ? (DeliveryState.Failed, now)
                : (DeliveryState.Pending, now + _retry.Delay(tries, Random.Shared.NextDouble()));
        if (outcome == DeliveryState.Failed)
        {
            LogGaveUp(delivery.Id, tries, result.Error);
        }

        await state.RecordAttemptAsync(delivery.Id, attempt, outcome, next, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending deliveries failed; trying again")]
    private partial void LogFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Id} failed after {Tries} tries: {Error}")]
    private partial void LogGaveUp(string id, int tries, string? error);
}
