using System.Diagnostics;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.UpdatesFunction.Consumer;

/// <summary>
/// The consumer core, used by both hosts (Lambda's <c>POST /events</c> and the SQS poller):
/// takes a batch of SQS messages, validates each, applies the whole batch through the store's
/// batch path in one call, and says which messages failed and whether for good.
/// </summary>
/// <remarks>
/// Nothing is reported done before the store has acknowledged it. A store outage fails every
/// message of the batch. On a FIFO queue the batch stops at the first failure: that message and
/// everything after it are reported failed, as Lambda requires (the merge rule is
/// order-independent, so messages after a failure that were already stored come back as
/// duplicates).
/// </remarks>
public sealed partial class UpdateBatchProcessor(
    IJobStore store,
    IOptions<UpdatesOptions> options,
    UpdateMetrics metrics,
    TimeProvider time,
    ILogger<UpdateBatchProcessor> logger)
{
    private const string FifoHold = "returned to the queue: an earlier message of this FIFO batch failed";

    public async Task<BatchOutcome> ProcessAsync(IReadOnlyList<QueueMessage> messages, bool fifo, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var settings = options.Value;
        var now = time.GetUtcNow();
        var outcomes = new MessageOutcome?[messages.Count];
        var decoded = new DecodedMessage[messages.Count];

        // FIFO: nothing after the first message that cannot be read is applied.
        var end = messages.Count;
        for (var i = 0; i < messages.Count; i++)
        {
            decoded[i] = MessageDecoder.Decode(messages[i], settings.AcceptLegacy, now);
            if (decoded[i].Update is null)
            {
                outcomes[i] = new MessageOutcome(messages[i].MessageId, MessageDisposition.Permanent, decoded[i].JobId, Reason: decoded[i].Error);
                if (fifo && end == messages.Count)
                {
                    end = i;
                }
            }
        }

        var batch = Enumerable.Range(0, end).Where(i => decoded[i].Update is not null).ToList();
        if (batch.Count > 0)
        {
            await ApplyAsync(messages, decoded, batch, outcomes, settings, now, cancellationToken);
        }

        for (var i = end; i < messages.Count; i++)
        {
            outcomes[i] ??= new MessageOutcome(messages[i].MessageId, MessageDisposition.Retry, decoded[i].JobId,
                decoded[i].Update?.Message.Id, Reason: FifoHold);
        }

        if (fifo)
        {
            HoldAfterFirstFailure(outcomes!);
        }

        for (var i = 0; i < messages.Count; i++)
        {
            Record(outcomes[i]!, decoded[i].Update?.Source ?? "unknown", messages[i].ReceiveCount);
        }

        metrics.BatchDone(Stopwatch.GetElapsedTime(started), messages.Count);
        return new BatchOutcome(outcomes!);
    }

    private async Task ApplyAsync(
        IReadOnlyList<QueueMessage> messages,
        DecodedMessage[] decoded,
        List<int> batch,
        MessageOutcome?[] outcomes,
        UpdatesOptions settings,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var updates = batch.Select(i => decoded[i].Update!).ToList();
        IReadOnlyList<UpdateResult> results;
        try
        {
            results = await store.ApplyAsync(updates, cancellationToken);
            if (results.Count != updates.Count)
            {
                throw new InvalidOperationException($"The store answered {results.Count} results for {updates.Count} updates.");
            }
        }
        catch (Exception e)
        {
            var reason = e switch
            {
                StoreUnavailableException => $"store unavailable: {e.Message}",
                OperationCanceledException when cancellationToken.IsCancellationRequested => "not stored: the consumer is shutting down",
                _ => $"store error: {e.Message}",
            };
            if (e is not OperationCanceledException)
            {
                LogStoreFailed(logger, e, updates.Count, reason);
            }

            foreach (var i in batch)
            {
                var update = decoded[i].Update!.Message;
                outcomes[i] = new MessageOutcome(messages[i].MessageId, MessageDisposition.Retry, update.JobId, update.Id, Reason: reason);
            }

            return;
        }

        for (var n = 0; n < batch.Count; n++)
        {
            var i = batch[n];
            var result = results[n];
            var disposition = result.Outcome switch
            {
                _ when result.IsDone => MessageDisposition.Done,
                UpdateOutcomeKind.Rejected => MessageDisposition.Permanent,
                UpdateOutcomeKind.JobNotFound when now - updates[n].Message.Time < settings.CreationWindow => MessageDisposition.Retry,
                UpdateOutcomeKind.JobNotFound => MessageDisposition.Permanent,
                _ => MessageDisposition.Retry,
            };
            var reason = result.Outcome switch
            {
                UpdateOutcomeKind.JobNotFound when disposition == MessageDisposition.Retry =>
                    $"no job {result.JobId} yet; retried while the update is younger than {settings.CreationWindow} (its creation may be on its way)",
                UpdateOutcomeKind.JobNotFound => $"no job {result.JobId}, and the update is older than the creation window ({settings.CreationWindow})",
                _ => result.Reason,
            };
            outcomes[i] = new MessageOutcome(messages[i].MessageId, disposition, result.JobId, result.UpdateId, result.Outcome, reason);
        }
    }

    private static void HoldAfterFirstFailure(MessageOutcome[] outcomes)
    {
        var first = Array.FindIndex(outcomes, o => o.Failed);
        if (first < 0)
        {
            return;
        }

        for (var i = first + 1; i < outcomes.Length; i++)
        {
            if (!outcomes[i].Failed)
            {
                outcomes[i] = outcomes[i] with { Disposition = MessageDisposition.Retry, Reason = $"stored, but {FifoHold}" };
            }
        }
    }

    private void Record(MessageOutcome o, string source, int receiveCount)
    {
        // What happened to the update itself: a FIFO hold after storing still counts as stored.
        var counted = o.Outcome switch
        {
            UpdateOutcomeKind.Applied => "applied",
            UpdateOutcomeKind.Superseded => "superseded",
            UpdateOutcomeKind.Duplicate => "duplicate",
            _ => o.Disposition == MessageDisposition.Permanent ? "rejected" : "retried",
        };
        metrics.Count(counted, source);

        switch (o.Disposition)
        {
            case MessageDisposition.Done:
                LogStored(logger, o.JobId, o.UpdateId, o.MessageId, counted, o.Reason);
                break;
            case MessageDisposition.Retry:
                LogRetry(logger, o.JobId, o.UpdateId, o.MessageId, receiveCount, o.Reason);
                break;
            default:
                LogPermanent(logger, o.JobId, o.UpdateId, o.MessageId, receiveCount, o.Reason);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Update {UpdateId} of job {JobId} (message {MessageId}): {Outcome} {Reason}")]
    private static partial void LogStored(ILogger logger, string? jobId, string? updateId, string messageId, string outcome, string? reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Update {UpdateId} of job {JobId} (message {MessageId}, receive {ReceiveCount}) will be retried: {Reason}")]
    private static partial void LogRetry(ILogger logger, string? jobId, string? updateId, string messageId, int receiveCount, string? reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Update {UpdateId} of job {JobId} (message {MessageId}, receive {ReceiveCount}) can never apply and is left for the dead-letter queue: {Reason}")]
    private static partial void LogPermanent(ILogger logger, string? jobId, string? updateId, string messageId, int receiveCount, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} updates was not stored ({Reason}); every message of it will be retried")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, int count, string reason);
}
