using Jobs.Core.Updates;

namespace Jobs.UpdatesFunction.Consumer;

/// <summary>What becomes of a message after its batch.</summary>
public enum MessageDisposition
{
    /// <summary>Stored (applied, superseded or a duplicate): delete it from the queue.</summary>
    Done,

    /// <summary>Failed for a passing reason (store down, throttled, job not created yet): deliver it again.</summary>
    Retry,

    /// <summary>
    /// Can never apply (malformed, invalid, bad token, unknown job): not acknowledged, so the queue
    /// moves it to the dead-letter queue after <c>maxReceiveCount</c> receives.
    /// </summary>
    Permanent,
}

/// <summary>The fate of one message of a batch.</summary>
public sealed record MessageOutcome(
    string MessageId,
    MessageDisposition Disposition,
    string? JobId = null,
    string? UpdateId = null,
    UpdateOutcomeKind? Outcome = null,
    string? Reason = null)
{
    public bool Failed => Disposition != MessageDisposition.Done;
}

/// <summary>One outcome per message, in the batch's order.</summary>
public sealed record BatchOutcome(IReadOnlyList<MessageOutcome> Messages)
{
    /// <summary>The ids to report in <c>batchItemFailures</c>: everything not safely stored.</summary>
    public IReadOnlyList<string> FailedMessageIds => Messages.Where(m => m.Failed).Select(m => m.MessageId).ToList();
}
