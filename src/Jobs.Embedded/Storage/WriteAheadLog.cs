using System.Buffers;
using System.Globalization;
using Jobs.Core.Storage;

namespace Jobs.Embedded.Storage;

/// <summary>
/// The write-ahead log with group commit. Writers append records and get a task that completes
/// once the record is on disk and its apply action has run; one flusher thread writes whatever
/// is pending, fsyncs once, runs the batch's apply actions in sequence order (the engine puts the
/// durable change into Lucene there, so the index never holds a change the log does not) and
/// completes every waiter of that batch, so concurrent requests share one fsync. A record the
/// reader would refuse (over <see cref="WalRecord.MaxBodyBytes"/>) is refused at append. A
/// failed write or fsync fails the batch's waiters and every later append, and cuts the segment
/// back to what was durable: nothing is acknowledged that is not durable, and nothing refused is
/// read back at the next start. Appended bytes not yet written are bounded
/// (<see cref="MaxPendingBytes"/>): past it a writer waits for the flusher, so a burst of writers
/// meets back-pressure instead of growing the buffer.
/// </summary>
/// <remarks>Over 300 lines: the flusher's batch hand-over, the applies after each fsync, the cut back
/// after a failure and the segment roll all share one lock and one flusher thread; split apart,
/// each would need the others' state.</remarks>
internal sealed class WriteAheadLog : IDisposable
{
    public const string Extension = ".wal";

    /// <summary>A pending buffer grown past this by a burst is dropped after its batch, not kept at that size.</summary>
    private const int KeptBufferBytes = 4 << 20;

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly object _gate = new();
    private readonly List<WalSegment> _closed;
    private readonly Thread _flusher;
    private ArrayBufferWriter<byte> _pending = new(1 << 16);
    private ArrayBufferWriter<byte> _spare = new(1 << 16);
    private List<(long Sequence, Action<long> Apply)> _pendingApplies = [];
    private List<(long Sequence, Action<long> Apply)> _spareApplies = [];
    private TaskCompletionSource _batch = NewBatch();
    private Task? _flushing;
    private long _pendingFirst;
    private long _lastSequence;
    private long _durableSequence;
    private long _bytesSinceCheckpoint;
    private bool _rollRequested;
    private bool _stopping;
    private Exception? _failure;
    private FileStream? _segment;
    private WalSegment _current;
    private long _durableLength;
    private (string Path, long Length)? _uncut;
    private long _fsyncs;
    private int _waitingWriters;

    public WriteAheadLog(string directory, IReadOnlyList<WalSegment> existing, long lastSequence, long segmentBytes)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _closed = [.. existing];
        _lastSequence = lastSequence;
        _durableSequence = lastSequence;
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "jobs-wal-flusher" };
        _flusher.Start();
    }

    /// <summary>
    /// Bytes appended and not yet handed to the flusher past which a writer waits (the store's
    /// <c>MaxPendingLogBytes</c>); a record larger than this alone still goes through.
    /// </summary>
    public long MaxPendingBytes { get; init; } = 32L << 20;

    /// <summary>How many writers wait for room in the pending buffer now (tests).</summary>
    internal int WaitingWriters => Volatile.Read(ref _waitingWriters);

    /// <summary>How many fsyncs the log has done (group commit makes this less than the number of writes).</summary>
    public long FsyncCount => Interlocked.Read(ref _fsyncs);

    /// <summary>The sequence number of the last record appended (durable or not).</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>The sequence number of the last record on disk and applied.</summary>
    public long DurableSequence => Interlocked.Read(ref _durableSequence);

    /// <summary>Called (on the flusher thread) after each batch became durable and was applied, with its last sequence.</summary>
    public Action<long>? Durable { get; set; }

    /// <summary>Why the log refuses writes, or null while it works.</summary>
    /// <remarks>
    /// Read without the log's lock (set once, under it): every read and write of the store asks
    /// through <c>EngineHost.Current</c>, and taking the lock the appenders and the flusher hold
    /// made those calls contend under load. A writer still checks again under the lock.
    /// </remarks>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Bytes appended since the last <see cref="ResetCheckpointBytes"/>.</summary>
    public long BytesSinceCheckpoint => Interlocked.Read(ref _bytesSinceCheckpoint);

    /// <summary>
    /// The fault seam of the tests, at the lowest I/O layer: runs after a batch was written and
    /// before its fsync; throwing from it is a failing disk (the written bytes are then cut off).
    /// </summary>
    internal Action? BeforeFsync { get; set; }

    /// <summary>Called on the flusher thread when an apply action throws (the record is durable; the engine must recover its index).</summary>
    public Action<Exception>? ApplyFailed { get; set; }

    /// <summary>Whether a record with this key and payload size can be read back (<see cref="WalRecord.MaxBodyBytes"/>).</summary>
    public static void EnsureReadable(string key, long payloadBytes)
    {
        var body = WalRecord.BodyBytes(key, payloadBytes);
        if (body > WalRecord.MaxBodyBytes)
        {
            throw new StoreUnavailableException(
                $"The change of {key} is {body:N0} bytes; the embedded store's write-ahead log takes records of at most {WalRecord.MaxBodyBytes:N0} bytes (64 MiB), so it was refused and nothing was stored. Send fewer or smaller updates of this job at once.");
        }
    }

    /// <summary>
    /// Appends a record; returns its sequence number, and a task that completes when it is
    /// durable and <paramref name="apply"/> has run (given the sequence number). The flusher starts on <see cref="Signal"/>,
    /// so a writer appending several records gets them into one fsync.
    /// </summary>
    public long Append(WalRecordKind kind, string key, ReadOnlySpan<byte> payload, Action<long>? apply, out Task durable)
    {
        EnsureReadable(key, payload.Length);
        lock (_gate)
        {
            while (_pending.WrittenCount > 0 && _pending.WrittenCount + payload.Length > MaxPendingBytes && _failure is null && !_stopping)
            {
                // Back-pressure: wake the flusher (this writer's earlier records may not have
                // signalled yet) and wait until it has taken the pending records.
                Monitor.PulseAll(_gate);
                _waitingWriters++;
                Monitor.Wait(_gate);
                _waitingWriters--;
            }

            if (_failure is not null)
            {
                throw Unavailable(_failure);
            }

            ObjectDisposedException.ThrowIf(_stopping, this);
            var sequence = ++_lastSequence;
            if (_pendingFirst == 0)
            {
                _pendingFirst = sequence;
            }

            var before = _pending.WrittenCount;
            WalRecord.Write(_pending, sequence, kind, key, payload);
            if (apply is not null)
            {
                _pendingApplies.Add((sequence, apply));
            }

            Interlocked.Add(ref _bytesSinceCheckpoint, _pending.WrittenCount - before);
            durable = _batch.Task;
            return sequence;
        }
    }

    public long Append(WalRecordKind kind, string key, ReadOnlySpan<byte> payload, out Task durable) =>
        Append(kind, key, payload, null, out durable);

    /// <summary>A task that completes once every record appended so far is durable (and applied).</summary>
    public Task Barrier()
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                return Task.FromException(Unavailable(_failure));
            }

            return _pending.WrittenCount > 0 ? _batch.Task : _flushing ?? Task.CompletedTask;
        }
    }

    /// <summary>Wakes the flusher: what was appended so far goes to disk.</summary>
    public void Signal()
    {
        lock (_gate)
        {
            // All: writers waiting for room wait on the same gate as the flusher.
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The next batch starts a new segment, so that a checkpoint can delete the older ones.</summary>
    public void RequestRoll()
    {
        lock (_gate)
        {
            _rollRequested = true;
        }
    }

    public void ResetCheckpointBytes() => Interlocked.Exchange(ref _bytesSinceCheckpoint, 0);

    /// <summary>Deletes the closed segments whose records are all at or below <paramref name="sequence"/>.</summary>
    public int DeleteSegmentsCoveredBy(long sequence)
    {
        List<WalSegment> covered;
        lock (_gate)
        {
            covered = _closed.Where(s => s.Last <= sequence).ToList();
            _closed.RemoveAll(s => s.Last <= sequence);
        }

        foreach (var segment in covered)
        {
            File.Delete(segment.Path);
        }

        return covered.Count;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _flusher.Join();
        if (_segment is not null)
        {
            try
            {
                _segment.Dispose();
            }
            catch (IOException)
            {
                // A failed log: its tail was cut back to what was durable (or the next start cuts it).
            }

            _segment = null;
            lock (_gate)
            {
                _closed.Add(_current);
            }
        }
    }

    private void FlushLoop()
    {
        while (true)
        {
            ArrayBufferWriter<byte> buffer;
            List<(long Sequence, Action<long> Apply)> applies;
            TaskCompletionSource batch;
            long first, last;
            bool roll;
            Exception? failure;
            lock (_gate)
            {
                while (_pending.WrittenCount == 0 && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_pending.WrittenCount == 0)
                {
                    return;
                }

                buffer = _pending;
                _pending = _spare;
                applies = _pendingApplies;
                _pendingApplies = _spareApplies;
                batch = _batch;
                _flushing = batch.Task;
                _batch = NewBatch();
                first = _pendingFirst;
                last = _lastSequence;
                _pendingFirst = 0;
                roll = _rollRequested;
                _rollRequested = false;
                failure = _failure;
                Monitor.PulseAll(_gate); // writers waiting for room
            }

            if (failure is null)
            {
                try
                {
                    Write(buffer.WrittenSpan, first, last, roll);
                }
                catch (Exception e)
                {
                    lock (_gate)
                    {
                        Volatile.Write(ref _failure, e);
                        Monitor.PulseAll(_gate);
                    }

                    failure = e;
                    CutBackToDurable();
                }
            }

            if (failure is null)
            {
                Apply(applies);
                Interlocked.Exchange(ref _durableSequence, last);
                batch.TrySetResult();
                Durable?.Invoke(last);
            }
            else
            {
                batch.TrySetException(Unavailable(failure));
            }

            buffer.Clear();
            if (buffer.Capacity > KeptBufferBytes)
            {
                buffer = new ArrayBufferWriter<byte>(1 << 16);
            }

            applies.Clear();
            lock (_gate)
            {
                _spare = buffer;
                _spareApplies = applies;
                if (_flushing == batch.Task)
                {
                    _flushing = null;
                }
            }
        }
    }

    private void Apply(List<(long Sequence, Action<long> Apply)> applies)
    {
        foreach (var (sequence, apply) in applies)
        {
            try
            {
                apply(sequence);
            }
            catch (Exception e)
            {
                ApplyFailed?.Invoke(e);
            }
        }
    }

    private void Write(ReadOnlySpan<byte> bytes, long first, long last, bool roll)
    {
        if (_segment is null || roll || _segment.Length >= _segmentBytes)
        {
            OpenSegment(first);
        }

        _segment!.Write(bytes);
        BeforeFsync?.Invoke();
        _segment.Flush(flushToDisk: true);
        Interlocked.Increment(ref _fsyncs);
        _durableLength = _segment.Length;
        _current = _current with { Last = last };
    }

    /// <summary>
    /// After a failed write: the bytes past the last fsync were never acknowledged, and must not
    /// be replayed at the next start (a create answered 503 would exist after a restart), so the
    /// segment is cut back to its durable length, now or by <see cref="TryCutFailedTail"/> later.
    /// </summary>
    private void CutBackToDurable()
    {
        if (_segment is null)
        {
            return;
        }

        lock (_gate)
        {
            _uncut = (_current.Path, _durableLength);
        }

        TryCutFailedTail();
    }

    /// <summary>
    /// After a failure: cuts the segment back to what was durable, if that is not done yet; false
    /// while it cannot be (the store must not reopen on a log that still holds refused records).
    /// </summary>
    public bool TryCutFailedTail()
    {
        (string Path, long Length) uncut;
        lock (_gate)
        {
            if (_uncut is not { } pending)
            {
                return true;
            }

            uncut = pending;
        }

        try
        {
            using (var stream = new FileStream(uncut.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                stream.SetLength(uncut.Length);
                stream.Flush(flushToDisk: true);
            }

            lock (_gate)
            {
                _uncut = null;
            }

            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void OpenSegment(long first)
    {
        if (_segment is not null)
        {
            _segment.Dispose();
            lock (_gate)
            {
                _closed.Add(_current);
            }

            _segment = null;
        }

        var path = Path.Combine(_directory, first.ToString("D19", CultureInfo.InvariantCulture) + Extension);
        var segment = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            // The new file's name must survive a crash with its first records.
            DirectorySync.Fsync(_directory);
        }
        catch
        {
            segment.Dispose();
            File.Delete(path);
            throw;
        }

        _segment = segment;
        _durableLength = 0;
        _current = new WalSegment(path, first, first - 1);
    }

    private static StoreUnavailableException Unavailable(Exception failure) =>
        failure is StoreUnavailableException unavailable
            ? unavailable
            : new StoreUnavailableException($"The embedded store could not make a write durable ({failure.Message}); it recovers by itself once the disk accepts writes again.", failure);

    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One log file: the sequence numbers of its first and last record.</summary>
internal readonly record struct WalSegment(string Path, long First, long Last);
