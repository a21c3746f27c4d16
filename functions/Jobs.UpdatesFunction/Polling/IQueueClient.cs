using Jobs.UpdatesFunction.Consumer;

namespace Jobs.UpdatesFunction.Polling;

/// <summary>A received message and the handle that deletes it or changes its visibility.</summary>
public sealed record ReceivedMessage(QueueMessage Message, string ReceiptHandle);

/// <summary>
/// The three queue operations the poller needs (receive, delete, change visibility): SQS in
/// production (<see cref="SqsQueueClient"/>), an in-memory queue in tests.
/// </summary>
public interface IQueueClient
{
    /// <summary>The queue URL or name, for FIFO detection and logs.</summary>
    string QueueUrl { get; }

    /// <summary>Long-polls for up to <paramref name="maxMessages"/> messages, hidden from others for <paramref name="visibility"/>.</summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, int waitSeconds, TimeSpan visibility, CancellationToken cancellationToken);

    /// <summary>Acknowledges messages: they are gone for good.</summary>
    Task DeleteAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken);

    /// <summary>Hides messages for <paramref name="visibility"/> from now (zero: offer them again at once).</summary>
    Task ChangeVisibilityAsync(IReadOnlyList<ReceivedMessage> messages, TimeSpan visibility, CancellationToken cancellationToken);
}
