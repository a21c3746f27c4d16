using Jobs.UpdatesFunction.Consumer;
using Microsoft.Extensions.Options;

namespace Jobs.UpdatesFunction.Polling;

/// <summary>
/// The long-running consumer for hosts other than Lambda: <see cref="UpdatesOptions.MaxConcurrentBatches"/>
/// loops each long-poll the queue and hand their batch to the consumer core.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A message is deleted only after the store has acknowledged it.</item>
/// <item>While a batch is being stored its visibility is extended every half timeout, so a slow
/// store does not hand the same messages to another consumer.</item>
/// <item>A message that failed for a passing reason is hidden for a back-off that grows with its
/// receive count; one that can never apply is left alone, so the queue's redrive policy moves it
/// to the dead-letter queue after <c>maxReceiveCount</c> receives.</item>
/// <item>On shutdown no new batch is received; batches in flight finish, or, when the host's
/// shutdown timeout runs out first, are cancelled and their messages released at once.</item>
/// </list>
/// </remarks>
public sealed partial class SqsPoller(
    IQueueClient queue,
    UpdateBatchProcessor processor,
    IOptions<UpdatesOptions> options,
    TimeProvider time,
    ILogger<SqsPoller> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReleaseGrace = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _abort = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host's shutdown timeout: past it, in-flight batches are cancelled and released.
        await using var registration = cancellationToken.Register(_abort.Cancel);
        await base.StopAsync(cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            // base.StopAsync may return from its own callback on this token before ours has run.
            await _abort.CancelAsync();
        }

        if (ExecuteTask is { IsCompleted: false } running)
        {
            // Cancelled batches still release their messages; give those calls a moment.
            try
            {
                await running.WaitAsync(ReleaseGrace, CancellationToken.None);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                LogReleaseUnfinished(logger, ReleaseGrace);
            }
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var fifo = settings.IsFifo(queue.QueueUrl);
        LogStarting(logger, queue.QueueUrl, settings.MaxConcurrentBatches, fifo);
        var loops = Enumerable.Range(0, Math.Max(1, settings.MaxConcurrentBatches))
            .Select(_ => Task.Run(() => PollAsync(settings, fifo, stoppingToken), CancellationToken.None));
        await Task.WhenAll(loops);
        LogStopped(logger, queue.QueueUrl);
    }

    private async Task PollAsync(UpdatesOptions settings, bool fifo, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<ReceivedMessage> received;
            try
            {
                received = await queue.ReceiveAsync(Math.Clamp(settings.BatchSize, 1, 10), Math.Clamp(settings.WaitTimeSeconds, 0, 20),
                    settings.VisibilityTimeout, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                var pause = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5))));
                LogReceiveFailed(logger, e, queue.QueueUrl, pause);
                try
                {
                    await Task.Delay(pause, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            if (received.Count > 0)
            {
                // Deliberately not the stopping token: a batch that was received is finished (or released).
                try
                {
                    await HandleBatchAsync(received, settings, fifo);
                }
                catch (Exception e)
                {
                    // Nothing was acknowledged: the messages come back after their visibility timeout.
                    LogBatchCrashed(logger, e, received.Count);
                }
            }
        }
    }

    internal async Task HandleBatchAsync(IReadOnlyList<ReceivedMessage> received, UpdatesOptions settings, bool fifo)
    {
        using var extending = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        var extender = ExtendVisibilityAsync(received, settings.VisibilityTimeout, extending.Token);

        BatchOutcome outcome;
        try
        {
            outcome = await processor.ProcessAsync(received.Select(r => r.Message).ToList(), fifo, _abort.Token);
        }
        finally
        {
            await extending.CancelAsync();
            await extender;
        }

        // Outcomes come in the batch's order.
        var done = received.Where((_, i) => outcome.Messages[i].Disposition == MessageDisposition.Done).ToList();
        var retry = received.Where((_, i) => outcome.Messages[i].Disposition == MessageDisposition.Retry).ToList();

        // Queue calls after the store answered are not cancelled: what is stored must be deleted.
        await TryAsync("delete", () => done.Count > 0 ? queue.DeleteAsync(done, CancellationToken.None) : Task.CompletedTask, done.Count);
        if (_abort.IsCancellationRequested)
        {
            await TryAsync("release", () => retry.Count > 0 ? queue.ChangeVisibilityAsync(retry, TimeSpan.Zero, CancellationToken.None) : Task.CompletedTask, retry.Count);
            return;
        }

        foreach (var group in retry.GroupBy(r => RetryDelay(r.Message.ReceiveCount, settings.MaxRetryDelay)))
        {
            var messages = group.ToList();
            await TryAsync("delay the retry of", () => queue.ChangeVisibilityAsync(messages, group.Key, CancellationToken.None), messages.Count);
        }
    }

    /// <summary>5 s, 10 s, 20 s, … by receive count, at most <paramref name="max"/>.</summary>
    internal static TimeSpan RetryDelay(int receiveCount, TimeSpan max)
    {
        var factor = Math.Pow(2, Math.Clamp(receiveCount - 1, 0, 16));
        return TimeSpan.FromSeconds(Math.Min(max.TotalSeconds, FirstRetryDelay.TotalSeconds * factor));
    }

    private async Task ExtendVisibilityAsync(IReadOnlyList<ReceivedMessage> received, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var period = visibility / 2;
        if (period <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                LogExtending(logger, received.Count, visibility);
                await TryAsync("extend the visibility of", () => queue.ChangeVisibilityAsync(received, visibility, cancellationToken), received.Count);
            }
        }
        catch (OperationCanceledException)
        {
            // The batch is finished.
        }
    }

    private async Task TryAsync(string operation, Func<Task> call, int count)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not fatal: an undeleted stored message comes back as a duplicate, an unreleased one after its timeout.
            LogQueueCallFailed(logger, e, operation, count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling {QueueUrl} with {Loops} concurrent batches (FIFO: {Fifo})")]
    private static partial void LogStarting(ILogger logger, string queueUrl, int loops, bool fifo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped polling {QueueUrl}; every batch in flight was finished or released")]
    private static partial void LogStopped(ILogger logger, string queueUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: in-flight messages not released within {Grace}; they return after their visibility timeout")]
    private static partial void LogReleaseUnfinished(ILogger logger, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiving from {QueueUrl} failed; trying again in {Pause}")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, string queueUrl, TimeSpan pause);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} messages failed unexpectedly; none was acknowledged")]
    private static partial void LogBatchCrashed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} messages is still being stored: visibility extended by {Visibility}")]
    private static partial void LogExtending(ILogger logger, int count, TimeSpan visibility);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {Operation} {Count} messages")]
    private static partial void LogQueueCallFailed(ILogger logger, Exception exception, string operation, int count);
}
