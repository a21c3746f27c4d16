using System.Text;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Merging;
using Jobs.Core.Processes;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Jobs.Embedded.Indexing;
using Jobs.Embedded.Search;
using Jobs.Embedded.Storage;

namespace Jobs.Embedded;

/// <summary>
/// The embedded store: jobs in a Lucene index on local disk, processes in a small catalog, every
/// change first in a write-ahead log with group commit. A write returns only once its log record
/// is fsynced; a checkpoint commits the index and trims the log; startup replays the log after the
/// last checkpoint. One instance per data path (Lucene's write lock enforces it).
/// </summary>
public sealed partial class EmbeddedJobStore : IJobStore, IProcessRegistry, IDisposable, IAsyncDisposable
{
    private readonly EmbeddedStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly string _root;
    private readonly JobIndex _index;
    private readonly EventIndex _events;
    private readonly OutboxIndex _outbox;
    private readonly ProcessCatalog _processes;
    private readonly WriteAheadLog _wal;
    private readonly JobSearchService _search;
    // Many stripes: a batch of 100 updates takes 100 of them, and concurrent batches should rarely meet.
    private readonly object[] _stripes = [.. Enumerable.Range(0, 1024).Select(_ => new object())];
    private readonly object _processLock = new();
    private readonly SemaphoreSlim _checkpointLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _background;
    private volatile bool _failed;
    private long _checkpointedSequence;
    private int _disposed;

    public EmbeddedJobStore(EmbeddedStoreOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _root = Path.GetFullPath(Path.Combine(options.DataPath, "jobs"));
        Directory.CreateDirectory(_root);
        _index = new JobIndex(Path.Combine(_root, "index"), FieldCatalog.Jobs);
        _events = new EventIndex(Path.Combine(_root, "events"));
        _outbox = new OutboxIndex(Path.Combine(_root, "outbox"));
        try
        {
            _processes = ProcessCatalog.Load(SnapshotPath);
            var committed = _index.CommittedSequence;
            var eventsCommitted = _events.CommittedSequence;
            var outboxCommitted = _outbox.CommittedSequence;
            var processSequence = _processes.SnapshotSequence;
            var replayed = 0;
            Recovery = WalRecovery.Read(WalDirectory, record =>
            {
                if (record.Kind == WalRecordKind.Job)
                {
                    if (record.Sequence > committed)
                    {
                        _index.Write(record.Key, new StoredJob(record.Payload.ToArray()));
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
                            _index.Write(record.Key, new StoredJob(json));
                        }

                        if (record.Sequence > eventsCommitted)
                        {
                            foreach (var e in events)
                            {
                                _events.Write(record.Key, e.DocumentId, e.SortKey, e.Json);
                            }
                        }

                        if (record.Sequence > outboxCommitted && notice is { } n)
                        {
                            _outbox.Write(record.Sequence, record.Key, n.Type, n.Time, json);
                        }

                        replayed++;
                    }
                }
                else if (record.Sequence > processSequence)
                {
                    _processes.Replay(record);
                    replayed++;
                }
            });
            Replayed = replayed;
            _checkpointedSequence = Math.Min(Math.Min(Math.Min(committed, eventsCommitted), outboxCommitted), processSequence);
            var last = Math.Max(Recovery.LastSequence, Math.Max(Math.Max(Math.Max(committed, eventsCommitted), outboxCommitted), processSequence));
            _wal = new WriteAheadLog(WalDirectory, Recovery.Segments, last, options.SegmentBytes) { Durable = OnDurable };
            _index.RefreshIfDirty();
        }
        catch
        {
            _outbox.Dispose();
            _events.Dispose();
            _index.Dispose();
            throw;
        }

        _search = new JobSearchService(_index, FieldCatalog.Jobs, _time, _options.Search);
        _background = Task.Run(BackgroundAsync);
    }

    /// <summary>What startup found in the write-ahead log.</summary>
    internal WalRecovery.Result Recovery { get; }

    /// <summary>How many log records startup applied (those after the last checkpoint).</summary>
    internal int Replayed { get; }

    /// <summary>How many fsyncs the write-ahead log has done.</summary>
    internal long FsyncCount => _wal.FsyncCount;

    internal WriteAheadLog Log => _wal;

    private string WalDirectory => Path.Combine(_root, "wal");

    private string SnapshotPath => Path.Combine(_root, "processes.json");

    // ---------------------------------------------------------------- jobs

    public async Task<bool> CreateAsync(JobDocument job, CancellationToken cancellationToken)
    {
        Task durable;
        var created = false;
        lock (Stripe(job.Id))
        {
            ThrowIfDisposed();
            if (_index.Find(job.Id) is null)
            {
                durable = WriteJob(job.Id, null, job, [JobMerger.CreationEvent(job)]);
                created = true;
            }
            else
            {
                // The job exists, but its creation may still be on its way to disk.
                durable = _wal.Barrier();
            }
        }

        _wal.Signal();
        await durable.WaitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    public Task<JobDocument?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Task.FromResult(_index.Find(jobId)?.Job);
    }

    public async Task<IReadOnlyList<UpdateResult>> ApplyAsync(IReadOnlyList<JobUpdate> updates, CancellationToken cancellationToken)
    {
        var backend = new MergeBackend(this);
        IReadOnlyList<UpdateResult> results;
        try
        {
            // Writes of one job are serialised by its stripe; a batch that loses a race to another
            // writer of the same job merges again, as often as it takes.
            results = await UpdateBatches.ApplyAsync(updates, _time.GetUtcNow(), backend, int.MaxValue - 1, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _wal.Signal();
        }

        // Batches reach the disk in order: the last record's batch covers the earlier ones. A
        // batch of duplicates waits too: the updates it repeats may not be durable yet.
        await (backend.Durable ?? _wal.Barrier()).WaitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    public Task<HistoryPage> GetHistoryAsync(string jobId, string? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        if (_index.Find(jobId)?.Job is { LegacyEvents: { } legacy })
        {
            return Task.FromResult(HistoryPages.Page(legacy, after, limit));
        }

        return Task.FromResult(_events.Page(jobId, after, limit));
    }

    public Task<JsonObject> SearchAsync(JsonObject request, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Task.FromResult(_search.Search(request));
    }

    public Task<JsonObject> CountAsync(JsonObject? request, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Task.FromResult(_search.Count(request));
    }

    public Task<JsonObject> GetMappingAsync(CancellationToken cancellationToken) =>
        Task.FromResult(MappingView.Reported());

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return Task.FromResult(new StoreHealth(false, "the embedded store is closed"));
        }

        return Task.FromResult(_failed || _wal.Barrier().IsFaulted
            ? new StoreHealth(false, "the embedded store's write-ahead log failed; restart the service")
            : new StoreHealth(true, $"embedded Lucene index at {_root}"));
    }

    // ---------------------------------------------------------------- processes

    public async Task<bool> DeployAsync(ProcessDefinition process, CancellationToken cancellationToken)
    {
        Task durable;
        var deployed = false;
        lock (_processLock)
        {
            ThrowIfDisposed();
            if (!_processes.Contains(process.Id, process.Version))
            {
                _processes.Add(process);
                durable = Append(WalRecordKind.ProcessDeploy, process.Id, JobsJson.ToUtf8(process));
                deployed = true;
            }
            else
            {
                durable = _wal.Barrier();
            }
        }

        _wal.Signal();
        await durable.WaitAsync(cancellationToken).ConfigureAwait(false);
        return deployed;
    }

    Task<ProcessDefinition?> IProcessRegistry.GetAsync(string id, string? version, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Task.FromResult(_processes.Get(id, version));
    }

    public Task<IReadOnlyList<ProcessDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Task.FromResult(_processes.List());
    }

    public async Task<int> UndeployAsync(string id, string? version, CancellationToken cancellationToken)
    {
        Task durable;
        int removed;
        lock (_processLock)
        {
            ThrowIfDisposed();
            removed = _processes.Remove(id, version);
            durable = removed == 0
                ? _wal.Barrier()
                : version is null
                    ? Append(WalRecordKind.ProcessUndeployAll, id, [])
                    : Append(WalRecordKind.ProcessUndeploy, id, Encoding.UTF8.GetBytes(version));
        }

        _wal.Signal();
        await durable.WaitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    // ---------------------------------------------------------------- durability

    /// <summary>Commits the index and the process catalog, then deletes the log segments they cover.</summary>
    internal async Task CheckpointAsync()
    {
        await _checkpointLock.WaitAsync().ConfigureAwait(false);
        try
        {
            Checkpoint();
        }
        finally
        {
            _checkpointLock.Release();
        }
    }

    private void Checkpoint()
    {
        // Every write reaches the index before its log record is appended, so the commit below
        // holds every record up to `sequence`. It may also hold later changes: replaying their
        // (full-state) records again is harmless.
        var sequence = _wal.LastSequence;
        if (sequence == _checkpointedSequence)
        {
            return;
        }

        _wal.RequestRoll();
        _wal.ResetCheckpointBytes();
        _events.Commit(sequence);
        _outbox.Commit(sequence);
        _index.Commit(sequence);
        _processes.WriteSnapshot(SnapshotPath, sequence);
        _wal.DeleteSegmentsCoveredBy(sequence);
        _checkpointedSequence = sequence;
    }

    /// <summary>
    /// Indexes a job's new state and its events, then logs both, with the change's outbox event,
    /// in one record (the caller holds the job's stripe lock; <paramref name="before"/>: the job as
    /// it was, null for a new one).
    /// </summary>
    private Task WriteJob(string jobId, JobDocument? before, JobDocument job, IReadOnlyList<JobEvent> events)
    {
        var json = JobsJson.ToUtf8(job);
        var stored = new JobChangeRecord.Event[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            stored[i] = new JobChangeRecord.Event(StoredEvents.DocumentId(jobId, events[i]), StoredEvents.SortKey(events[i]), EventIndex.ToJson(events[i]));
        }

        var notice = NoticeFor(before, job, events);
        var payload = JobChangeRecord.Encode(json, stored, notice);
        _index.Write(jobId, new StoredJob(json, job));
        foreach (var e in stored)
        {
            _events.Write(jobId, e.DocumentId, e.SortKey, e.Json);
        }

        return Append(WalRecordKind.JobChange, jobId, payload, OutboxWriter(jobId, json, notice));
    }

    private Task Append(WalRecordKind kind, string key, ReadOnlySpan<byte> payload, Action<long>? sequenced = null)
    {
        try
        {
            _wal.Append(kind, key, payload, sequenced, out var durable);
            return durable;
        }
        catch (StoreUnavailableException)
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>Writes of one job are serialised by its stripe; different jobs are written in parallel.</summary>
    private object Stripe(string jobId) => _stripes[(StringComparer.Ordinal.GetHashCode(jobId) & int.MaxValue) % _stripes.Length];

    private async Task BackgroundAsync()
    {
        var lastCheckpoint = _time.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    _index.RefreshIfDirty();
                    if (_time.GetElapsedTime(lastCheckpoint).TotalSeconds >= _options.CheckpointSeconds
                        || _wal.BytesSinceCheckpoint >= _options.CheckpointBytes)
                    {
                        await CheckpointAsync().ConfigureAwait(false);
                        lastCheckpoint = _time.GetTimestamp();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed refresh or checkpoint loses nothing (the log still has every record);
                    // searches refresh on their own and the next tick checkpoints again.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // closing
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _background.GetAwaiter().GetResult();
        _checkpointLock.Wait();
        try
        {
            // Writers check _disposed under their lock: once each lock was taken, none is inside.
            foreach (var stripe in _stripes)
            {
                lock (stripe)
                {
                }
            }

            lock (_processLock)
            {
            }

            var failed = _failed || _wal.Barrier().IsFaulted;
            _wal.Dispose();
            if (!failed)
            {
                Checkpoint();
            }
        }
        finally
        {
            _outbox.Dispose();
            _events.Dispose();
            _index.Dispose();
            _checkpointLock.Release();
            _checkpointLock.Dispose();
            _stopping.Dispose();
        }
    }

    /// <summary>
    /// Closes like a crash would leave things: no checkpoint, the index as of its last commit,
    /// the log as written (for recovery tests).
    /// </summary>
    internal void Abandon()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _background.GetAwaiter().GetResult();
        _wal.Dispose();
        _outbox.Abandon();
        _events.Abandon();
        _index.Abandon();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
