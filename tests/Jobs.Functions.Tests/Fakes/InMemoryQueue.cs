using System.Collections.Concurrent;
using Jobs.UpdatesFunction.Consumer;
using Jobs.UpdatesFunction.Polling;

namespace Jobs.Functions.Tests.Fakes;

/// <summary>
/// A queue in memory that records what the poller does to each message: received, deleted, hidden
/// for a while (retry back-off or visibility extension) or released.
/// </summary>
internal sealed class InMemoryQueue(string queueUrl = "https://sqs.us-west-2.amazonaws.com/123456789012/jobs") : IQueueClient
{
    private readonly ConcurrentQueue<QueueMessage> _visible = new();
    private readonly Lock _lock = new();
    private int _receipts;

    public string QueueUrl { get; } = queueUrl;

    public List<string> Deleted { get; } = [];

    /// <summary>Every visibility change: message id and the new timeout.</summary>
    public List<(string MessageId, TimeSpan Visibility)> VisibilityChanges { get; } = [];

    public TaskCompletionSource FirstExtension { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FirstReceive { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Send(QueueMessage message) => _visible.Enqueue(message);

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, int waitSeconds, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var batch = new List<ReceivedMessage>();
        while (batch.Count < maxMessages && _visible.TryDequeue(out var m))
        {
            batch.Add(new ReceivedMessage(m with { ReceiveCount = m.ReceiveCount }, $"receipt-{Interlocked.Increment(ref _receipts)}"));
        }

        if (batch.Count == 0)
        {
            // A long poll that finds nothing: wait a little (or until cancelled) and come back empty.
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            return batch;
        }

        FirstReceive.TrySetResult();
        return batch;
    }

    public Task DeleteAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Deleted.AddRange(messages.Select(m => m.Message.MessageId));
        }

        return Task.CompletedTask;
    }

    public Task ChangeVisibilityAsync(IReadOnlyList<ReceivedMessage> messages, TimeSpan visibility, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            VisibilityChanges.AddRange(messages.Select(m => (m.Message.MessageId, visibility)));
        }

        if (visibility > TimeSpan.Zero)
        {
            FirstExtension.TrySetResult();
        }

        return Task.CompletedTask;
    }

    public TimeSpan? LastVisibility(string messageId)
    {
        lock (_lock)
        {
            return VisibilityChanges.LastOrDefault(c => c.MessageId == messageId) is { MessageId: not null } c ? c.Visibility : null;
        }
    }
}
