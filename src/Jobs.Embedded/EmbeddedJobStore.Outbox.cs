using Jobs.Core.Jobs;
using Jobs.Core.Notifications;
using Jobs.Embedded.Storage;

namespace Jobs.Embedded;

/// <summary>
/// The outbox of the embedded store (<see cref="IJobOutbox"/>): a job change's event goes into
/// the change's own write-ahead log record, so the two are durable together, and into the
/// outbox index once the record is durable, by the log's flusher in sequence order (as every
/// change reaches Lucene, see <see cref="Engine.StorageEngine"/>). Reads stop at the log's durable
/// sequence: nothing not yet acknowledged is ever read, and recovery rebuilds what the index had
/// not committed from the log.
/// </summary>
public sealed partial class EmbeddedJobStore : IJobOutbox
{
    private readonly object _outboxGate = new();
    private TaskCompletionSource _outboxChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Head => _host.Engine?.Log.DurableSequence ?? 0;

    public Task<IReadOnlyList<OutboxEvent>> ReadAsync(long after, string? jobId, int limit, CancellationToken cancellationToken)
    {
        return Task.FromResult(Read(engine => engine.Outbox.Read(after, engine.Log.DurableSequence, jobId, limit)));
    }

    public void Handled(string consumer, long sequence) => _host.Retention.Handled(consumer, sequence);

    public async Task WaitAsync(long after, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_outboxGate)
            {
                changed = _outboxChanged.Task;
            }

            if (Head > after)
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs on the log's flusher after every durable batch: wakes the readers waiting for a change.</summary>
    private void OnDurable(long sequence)
    {
        TaskCompletionSource woken;
        lock (_outboxGate)
        {
            woken = _outboxChanged;
            _outboxChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
    }

    /// <summary>The outbox event of a write, or null when the write changed nothing a subscriber sees.</summary>
    private JobChangeRecord.Notice? NoticeFor(JobDocument? before, JobDocument after, IReadOnlyList<JobEvent> events) =>
        ChangeClassifier.Classify(before, after, events) is { } type ? new JobChangeRecord.Notice(type, _time.GetUtcNow()) : null;
}
