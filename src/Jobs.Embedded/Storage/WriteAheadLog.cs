using System.Buffers;
using System.Globalization;
using Jobs.Core.Storage;

namespace Jobs.Embedded.Storage;

/// <summary>
/// The write-ahead log with group commit. Writers append records (under the store's writer lock)
/// and get a task that completes once the record is on disk; one flusher thread writes whatever
/// is pending, fsyncs once and completes every waiter of that batch, so concurrent requests share
/// one fsync. A failed write or fsync fails the batch's waiters and every later append: nothing
/// is acknowledged that is not durable.
/// </summary>
internal sealed class WriteAheadLog : IDisposable
{
    public const string Extension = ".wal";

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly object _gate = new();
    private readonly List<WalSegment> _closed;
    private readonly Thread _flusher;
    private ArrayBufferWriter<byte> _pending = new(1 << 16);
    private ArrayBufferWriter<byte> _spare = new(1 << 16);
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
    private long _fsyncs;

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

    /// <summary>The sequence number of the last record known to be on disk.</summary>
    public long DurableSequence => Interlocked.Read(ref _durableSequence);

    /// <summary>Called (on the flusher thread) after each batch became durable, with its last sequence.</summary>
    public Action<long>? Durable { get; set; }

    /// <summary>Bytes appended since the last <see cref="ResetCheckpointBytes"/>.</summary>
    public long BytesSinceCheckpoint => Interlocked.Read(ref _bytesSinceCheckpoint);

    /// <summary>Test hook: runs before each fsync; throwing from it simulates a failing disk.</summary>
    internal Action? BeforeFsync { get; set; }

    /// <summary>
    /// Appends a record; returns its sequence number, and a task that completes when it is
    /// durable. The flusher starts on <see cref="Signal"/>, so a writer appending several records
    /// gets them into one fsync.
    /// </summary>
    public long Append(WalRecordKind kind, string key, ReadOnlySpan<byte> payload, out Task durable) =>
        Append(kind, key, payload, null, out durable);

    /// <summary>
    /// <see cref="Append(WalRecordKind, string, ReadOnlySpan{byte}, out Task)"/>, calling
    /// <paramref name="sequenced"/> with the record's sequence under the log's lock, so whatever it
    /// records happens in sequence order (the outbox relies on this).
    /// </summary>
    public long Append(WalRecordKind kind, string key, ReadOnlySpan<byte> payload, Action<long>? sequenced, out Task durable)
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                throw new StoreUnavailableException("The embedded store's write-ahead log failed; restart the service.", _failure);
            }

            ObjectDisposedException.ThrowIf(_stopping, this);
            var sequence = _lastSequence + 1;
            sequenced?.Invoke(sequence);
            _lastSequence = sequence;
            if (_pendingFirst == 0)
            {
                _pendingFirst = sequence;
            }

            var before = _pending.WrittenCount;
            WalRecord.Write(_pending, sequence, kind, key, payload);
            Interlocked.Add(ref _bytesSinceCheckpoint, _pending.WrittenCount - before);
            durable = _batch.Task;
            return sequence;
        }
    }

    /// <summary>A task that completes once every record appended so far is durable.</summary>
    public Task Barrier()
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                return Task.FromException(new StoreUnavailableException("The embedded store's write-ahead log failed; restart the service.", _failure));
            }

            return _pending.WrittenCount > 0 ? _batch.Task : _flushing ?? Task.CompletedTask;
        }
    }

    /// <summary>Wakes the flusher: what was appended so far goes to disk.</summary>
    public void Signal()
    {
        lock (_gate)
        {
            Monitor.Pulse(_gate);
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
            Monitor.Pulse(_gate);
        }

        _flusher.Join();
        if (_segment is not null)
        {
            _segment.Dispose();
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
                batch = _batch;
                _flushing = batch.Task;
                _batch = NewBatch();
                first = _pendingFirst;
                last = _lastSequence;
                _pendingFirst = 0;
                roll = _rollRequested;
                _rollRequested = false;
                failure = _failure;
            }

            if (failure is null)
            {
                try
                {
                    Write(buffer.WrittenSpan, first, last, roll);
                    Interlocked.Exchange(ref _durableSequence, last);
                    batch.TrySetResult();
                    Durable?.Invoke(last);
                }
                catch (Exception e)
                {
                    lock (_gate)
                    {
                        _failure = e;
                    }

                    failure = e;
                }
            }

            if (failure is not null)
            {
                batch.TrySetException(new StoreUnavailableException("The embedded store could not make a write durable.", failure));
            }

            buffer.Clear();
            lock (_gate)
            {
                _spare = buffer;
                if (_flushing == batch.Task)
                {
                    _flushing = null;
                }
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
        _current = _current with { Last = last };
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
        }

        var path = Path.Combine(_directory, first.ToString("D19", CultureInfo.InvariantCulture) + Extension);
        _segment = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _current = new WalSegment(path, first, first - 1);
    }

    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One log file: the sequence numbers of its first and last record.</summary>
internal readonly record struct WalSegment(string Path, long First, long Last);
