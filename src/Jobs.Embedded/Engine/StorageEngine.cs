using System.Text;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Merging;
using Jobs.Core.Processes;
using Jobs.Embedded.Indexing;
using Jobs.Embedded.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Embedded.Engine;

/// <summary>
/// The embedded store's durability engine: the jobs index, the events index, the process catalog
/// and the write-ahead log of one data directory, opened (and recovered) by <see cref="Open"/>.
/// A change is staged (reads see it), appended to the log, and put into Lucene and the catalog
/// only once its record is durable, in log order, by the log's flusher; so a checkpoint commits
/// only what the log holds, and a change whose write failed exists nowhere but in the staged
/// maps of this instance. Any failure (the log's, an index's, a checkpoint's) makes the engine
/// <see cref="Fault">faulted</see>: it refuses writes and is replaced by a new one opened from
/// disk (<see cref="EngineHost"/>), which is what the disk holds: exactly what was acknowledged.
/// </summary>
/// <remarks>Just over 300 lines: opening, replay, the write path and the checkpoint share the rule
/// "in Lucene only once durable" and its sequence bookkeeping, and read best in one place.</remarks>
internal sealed class StorageEngine : IDisposable
{
    private readonly string _root;
    private readonly ILogger _logger;
    private Exception? _fault;
    private long _appliedSequence;
    private long _checkpointedSequence;

    private StorageEngine(string root, JobIndex jobs, EventIndex events, OutboxIndex outbox, ProcessCatalog processes, ILogger logger)
    {
        _root = root;
        Jobs = jobs;
        Events = events;
        Outbox = outbox;
        Processes = processes;
        _logger = logger;
        Log = null!;
    }

    public JobIndex Jobs { get; }

    public EventIndex Events { get; }

    /// <summary>The job changes subscribers read (<see cref="Core.Notifications.IJobOutbox"/>).</summary>
    public OutboxIndex Outbox { get; }

    public ProcessCatalog Processes { get; }

    public WriteAheadLog Log { get; private set; }

    /// <summary>What start-up found in the write-ahead log.</summary>
    public WalRecovery.Result Recovery { get; private set; } = null!;

    /// <summary>How many log records start-up applied (those after the last checkpoint).</summary>
    public int Replayed { get; private set; }

    /// <summary>Why this engine refuses writes and must be replaced, or null while it works.</summary>
    public Exception? Fault => Volatile.Read(ref _fault) ?? Log.Failure;

    public string Root => _root;

    private string SnapshotPath => Path.Combine(_root, "processes.json");

    /// <summary>Opens the data directory: the indices as of their last commit, then the log records after it.</summary>
    /// <param name="durable">Called on the log's flusher after every durable batch, with its last sequence (wakes outbox readers).</param>
    public static StorageEngine Open(EmbeddedStoreOptions options, ILogger logger, Action<long>? durable = null)
    {
        var root = Path.GetFullPath(Path.Combine(options.DataPath, "jobs"));
        Directory.CreateDirectory(root);
        StorageEngine? engine = null;
        // The indices report a failed refresh to the engine they belong to (set once it exists).
        void Failed(Exception e) => engine?.Faulted(e);
        var jobs = new JobIndex(Path.Combine(root, "index"), FieldCatalog.Jobs, options.MaxStagedWrites, Failed, logger, options.IndexBufferMiB);
        EventIndex? events = null;
        OutboxIndex? outbox = null;
        try
        {
            events = new EventIndex(Path.Combine(root, "events"), options.MaxStagedWrites, Failed, logger, options.IndexBufferMiB / 4.0);
            outbox = new OutboxIndex(Path.Combine(root, "outbox"), Failed, logger, options.IndexBufferMiB / 8.0);
            engine = new StorageEngine(root, jobs, events, outbox, ProcessCatalog.Load(Path.Combine(root, "processes.json")), logger);
            engine.Recover(options, durable);
            return engine;
        }
        catch
        {
            outbox?.Abandon();
            events?.Abandon();
            jobs.Abandon();
            throw;
        }
    }

    private void Recover(EmbeddedStoreOptions options, Action<long>? durable)
    {
        var committed = Jobs.CommittedSequence;
        var eventsCommitted = Events.CommittedSequence;
        var outboxCommitted = Outbox.CommittedSequence;
        var processSequence = Processes.SnapshotSequence;
        var replayed = 0;
        var walDirectory = Path.Combine(_root, "wal");
        Recovery = WalRecovery.Read(walDirectory, record =>
        {
            if (record.Kind == WalRecordKind.Job)
            {
                if (record.Sequence > committed)
                {
                    Jobs.Apply(record.Key, new StoredJob(record.Payload.ToArray(), record.Sequence));
                    replayed++;
                }
            }
            else if (record.Kind == WalRecordKind.JobChange)
            {
                if (record.Sequence > committed || record.Sequence > eventsCommitted || record.Sequence > outboxCommitted)
                {
                    var (json, events) = JobChangeRecord.Decode(record.Payload.Span, out var notice);
                    if (record.Sequence > committed)
                    {
                        Jobs.Apply(record.Key, new StoredJob(json, record.Sequence));
                    }

                    if (record.Sequence > eventsCommitted)
                    {
                        Events.Apply(new EventIndex.Batch(record.Key, events));
                    }

                    if (record.Sequence > outboxCommitted && notice is { } n)
                    {
                        Outbox.Write(record.Sequence, record.Key, n.Type, n.Time, json);
                    }

                    replayed++;
                }
            }
            else if (record.Sequence > processSequence)
            {
                Processes.Replay(record);
                replayed++;
            }
        });
        Replayed = replayed;
        Jobs.Refresh();
        Events.Refresh();
        Outbox.Refresh();
        _checkpointedSequence = Math.Min(Math.Min(Math.Min(committed, eventsCommitted), outboxCommitted), processSequence);
        var last = Math.Max(Recovery.LastSequence, Math.Max(Math.Max(Math.Max(committed, eventsCommitted), outboxCommitted), processSequence));
        _appliedSequence = last;
        Log = new WriteAheadLog(walDirectory, Recovery.Segments, last, options.SegmentBytes) { ApplyFailed = Faulted, Durable = durable, MaxPendingBytes = options.MaxPendingLogBytes };
        if (replayed > 0)
        {
            _logger.LogInformation("Embedded store at {Root}: replayed {Records} write-ahead log records ({TornTails} torn tails cut off)", _root, replayed, Recovery.TornTails);
        }
    }

    /// <summary>
    /// Stages a job's new state and its events, and logs both in one record (the caller holds the
    /// job's write lock), with the change's outbox event if it has one. Returns once the record is appended; the task completes once it is
    /// durable and in the index. Throws before anything is staged if the record is too large.
    /// </summary>
    public Task WriteJob(string jobId, JobDocument job, IReadOnlyList<JobEvent> events, JobChangeRecord.Notice? notice)
    {
        ThrowIfFaulted();
        var json = JobsJson.ToUtf8(job);
        var stored = new JobChangeRecord.Event[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            stored[i] = new JobChangeRecord.Event(StoredEvents.DocumentId(jobId, events[i]), StoredEvents.SortKey(events[i]), EventIndex.ToJson(events[i]));
        }

        var payload = JobChangeRecord.Encode(json, stored, notice);
        var state = new StoredJob(json, 0, job);
        var batch = new EventIndex.Batch(jobId, stored);
        var sequence = Log.Append(WalRecordKind.JobChange, jobId, payload, applied =>
        {
            state.Sequence = applied;
            Jobs.Apply(jobId, state);
            Events.Apply(batch);
            if (notice is { } n)
            {
                Outbox.Write(applied, jobId, n.Type, n.Time, json);
            }

            Volatile.Write(ref _appliedSequence, applied);
        }, out var durable);
        state.Sequence = sequence;
        batch.Durable = durable;
        batch.Signal = Log.Signal;
        Jobs.Stage(jobId, state);
        Events.Stage(batch);
        return durable;
    }

    /// <summary>Logs a deploy; the catalog holds it once durable (callers serialise process writes).</summary>
    public Task Deploy(ProcessDefinition process) =>
        AppendProcess(WalRecordKind.ProcessDeploy, process.Id, JobsJson.ToUtf8(process), () => Processes.Add(process));

    /// <summary>Logs an undeploy of one version (or every version when null); the catalog drops them once durable.</summary>
    public Task Undeploy(string id, string? version) => version is null
        ? AppendProcess(WalRecordKind.ProcessUndeployAll, id, [], () => Processes.Remove(id, null))
        : AppendProcess(WalRecordKind.ProcessUndeploy, id, Encoding.UTF8.GetBytes(version), () => Processes.Remove(id, version));

    private Task AppendProcess(WalRecordKind kind, string key, byte[] payload, Action change)
    {
        ThrowIfFaulted();
        Log.Append(kind, key, payload, applied =>
        {
            change();
            Volatile.Write(ref _appliedSequence, applied);
        }, out var durable);
        Log.Signal();
        return durable;
    }

    /// <summary>Whether a checkpoint is due: <paramref name="elapsed"/> since the last one, or the log bytes since it.</summary>
    public bool CheckpointDue(TimeSpan elapsed, EmbeddedStoreOptions options) =>
        Volatile.Read(ref _appliedSequence) != _checkpointedSequence
        && (elapsed.TotalSeconds >= options.CheckpointSeconds || Log.BytesSinceCheckpoint >= options.CheckpointBytes);

    /// <summary>
    /// Commits both indices and the process catalog with the log sequence every record up to
    /// which is in them, then deletes the log segments they cover. They may hold later records
    /// too: replaying a (full-state) record again is harmless. A failure faults the engine: a
    /// failed Lucene commit may have dropped buffered documents, which only a reopen brings back.
    /// Not thread-safe (one caller: the engine's host).
    /// </summary>
    public void Checkpoint()
    {
        var sequence = Volatile.Read(ref _appliedSequence);
        if (sequence == _checkpointedSequence)
        {
            return;
        }

        ThrowIfFaulted();
        try
        {
            Log.RequestRoll();
            Log.ResetCheckpointBytes();
            Events.Commit(sequence);
            Outbox.Commit(sequence);
            Jobs.Commit(sequence);
            Processes.WriteSnapshot(SnapshotPath, sequence);
            Log.DeleteSegmentsCoveredBy(sequence);
            _checkpointedSequence = sequence;
        }
        catch (Exception e)
        {
            Faulted(e);
            throw;
        }
    }

    /// <summary>Marks the engine failed: it refuses writes from now on and must be replaced.</summary>
    public void Faulted(Exception e) => Interlocked.CompareExchange(ref _fault, e, null);

    private void ThrowIfFaulted()
    {
        if (Fault is { } fault)
        {
            throw EngineHost.Unavailable(fault);
        }
    }

    /// <summary>
    /// Closes without a checkpoint: the indices as of their last commit, the log as written and
    /// cut back to what was durable (a faulted engine, a crash in tests). False when the log's
    /// failed tail could not be cut yet (the caller must not reopen the directory before it is).
    /// </summary>
    public bool Abandon()
    {
        Log.Dispose();
        var cut = Log.TryCutFailedTail();
        try
        {
            Outbox.Abandon();
            Events.Abandon();
        }
        finally
        {
            Jobs.Abandon();
        }

        return cut;
    }

    /// <summary>Flushes the log (every staged write becomes durable and indexed), checkpoints unless faulted, closes.</summary>
    public void Dispose()
    {
        Log.Dispose();
        if (Fault is not null)
        {
            Abandon();
            return;
        }

        try
        {
            Checkpoint();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "The embedded store at {Root} could not checkpoint while closing; the next start replays the write-ahead log", _root);
            Abandon();
            return;
        }

        try
        {
            Outbox.Dispose();
            Events.Dispose();
        }
        finally
        {
            Jobs.Dispose();
        }
    }
}
