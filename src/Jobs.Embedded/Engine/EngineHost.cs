using Jobs.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Jobs.Embedded.Engine;

/// <summary>
/// Keeps one working <see cref="StorageEngine"/> open on the data directory, and the background
/// work that goes with it, on one loop ticking every second: a checkpoint when one is due, and
/// when the engine faulted (a write that could not be made durable, a failed checkpoint or
/// refresh), its replacement: the faulted engine is closed without a checkpoint, its log cut
/// back to what was durable, the disk probed, and a new engine opened from disk. Nothing on the
/// loop is swallowed: every failure is logged and shows in <see cref="Health"/>, which comes
/// back to healthy by itself once the work succeeds again.
/// </summary>
internal sealed partial class EngineHost : IDisposable
{
    /// <summary>What the disk must take before a faulted engine is reopened (a full disk fails it at once).</summary>
    internal const int ProbeBytes = 1 << 20;

    private readonly EmbeddedStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<long>? _durable;
    private readonly OutboxRetention _retention;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private StorageEngine? _engine;
    private StorageEngine? _faulted;
    private readonly Lock _healthGate = new();
    private HealthCheckResult _healthNow;
    private string? _lastProblem;
    private bool _checkpointFailed;
    private int _disposed;

    private EngineHost(StorageEngine engine, EmbeddedStoreOptions options, TimeProvider time, ILogger logger, Action<long>? durable)
    {
        _engine = engine;
        _durable = durable;
        _options = options;
        _time = time;
        _logger = logger;
        _retention = new OutboxRetention(options, time);
        _healthNow = HealthCheckResult.Healthy($"embedded Lucene index at {engine.Root}");
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Opens the data directory (recovering it) and starts the background work.</summary>
    public static EngineHost Open(EmbeddedStoreOptions options, TimeProvider time, ILogger logger, Action<long>? durable = null) =>
        new(StorageEngine.Open(options, logger, durable), options, time, logger, durable);

    /// <summary>The working engine; throws <see cref="StoreUnavailableException"/> while a faulted one is being replaced.</summary>
    public StorageEngine Current
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return Volatile.Read(ref _engine) is { Fault: null } engine
                ? engine
                : throw Unavailable(_faulted?.Fault ?? _engine?.Fault);
        }
    }

    /// <summary>The engine whatever its state, or null while none is open (tests).</summary>
    internal StorageEngine? Engine => Volatile.Read(ref _engine);

    public HealthCheckResult Health => Volatile.Read(ref _disposed) != 0
        ? HealthCheckResult.Unhealthy("the embedded store is closed")
        : _engine?.Fault is { } fault
            ? HealthCheckResult.Unhealthy(Describe(fault), fault)
            : ReportedHealth;

    private HealthCheckResult ReportedHealth
    {
        get
        {
            lock (_healthGate)
            {
                return _healthNow;
            }
        }

        set
        {
            lock (_healthGate)
            {
                _healthNow = value;
            }
        }
    }

    /// <summary>The outbox's retention, which consumers tell how far they got.</summary>
    public OutboxRetention Retention => _retention;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The answer to a write or read refused while the engine is failed or being replaced.</summary>
    public static StoreUnavailableException Unavailable(Exception? fault) => fault is StoreUnavailableException unavailable
        ? unavailable
        : new StoreUnavailableException(
            $"The embedded store is recovering from a failure ({fault?.Message ?? "reopening"}); it reopens by itself once the disk accepts writes again.", fault);

    /// <summary>One turn of the background work (the loop's body; tests call it with a fake clock).</summary>
    internal void Tick(ref long lastCheckpoint)
    {
        var engine = Volatile.Read(ref _engine);
        if (_faulted is not null || engine?.Fault is not null)
        {
            Replace();
            return;
        }

        if (engine is null)
        {
            return;
        }

        if (_checkpointFailed || engine.CheckpointDue(_time.GetElapsedTime(lastCheckpoint), _options))
        {
            try
            {
                engine.Checkpoint();
                lastCheckpoint = _time.GetTimestamp();
                if (_checkpointFailed)
                {
                    _checkpointFailed = false;
                    LogCheckpointRecovered(engine.Root);
                }

                Healthy(engine);
            }
            catch (Exception e)
            {
                _checkpointFailed = true;
                LogCheckpointFailed(e, engine.Root);
                // The engine is faulted now (see StorageEngine.Checkpoint): the next tick replaces it.
                Replace();
                return;
            }
        }

        try
        {
            _retention.SweepIfDue(engine);
        }
        catch (Exception e)
        {
            // A failed delete leaves the changes for the next sweep; the engine itself reports faults.
            LogRetentionFailed(e, engine.Root);
        }
    }

    private void Replace()
    {
        if (Interlocked.Exchange(ref _engine, null) is { } failed)
        {
            _faulted = failed;
            var fault = failed.Fault;
            LogFaulted(fault, failed.Root, fault?.Message);
            ReportedHealth = HealthCheckResult.Unhealthy(Describe(fault), fault);
            try
            {
                failed.Abandon();
            }
            catch (Exception e)
            {
                Problem(e, "closing the failed engine");
            }
        }

        if (_faulted is not { } old)
        {
            return;
        }

        try
        {
            if (!old.Log.TryCutFailedTail())
            {
                Problem(new IOException("the write-ahead log's failed tail cannot be cut yet"), "cutting the write-ahead log back to what was durable");
                return;
            }

            Probe(old.Root);
            var engine = StorageEngine.Open(_options, _logger, _durable);
            _faulted = null;
            _lastProblem = null;
            Volatile.Write(ref _engine, engine);
            LogRecovered(engine.Root, engine.Replayed);
            Healthy(engine);
        }
        catch (Exception e)
        {
            Problem(e, "reopening");
        }
    }

    private void Healthy(StorageEngine engine)
    {
        ReportedHealth = _checkpointFailed
            ? HealthCheckResult.Degraded($"the last checkpoint of {engine.Root} failed; the write-ahead log keeps every write and the next checkpoint is tried every second")
            : HealthCheckResult.Healthy($"embedded Lucene index at {engine.Root}");
    }

    /// <summary>Logs a failure of the recovery once per distinct reason (it is retried every second).</summary>
    private void Problem(Exception e, string step)
    {
        var problem = $"{step}: {e.Message}";
        ReportedHealth = HealthCheckResult.Unhealthy($"The embedded store failed and is recovering; {problem}. Writes are refused until it has reopened.", e);
        if (problem != _lastProblem)
        {
            _lastProblem = problem;
            LogRecoveryFailed(e, step);
        }
    }

    /// <summary>Writes and fsyncs a scratch file: the disk takes writes again (the space returned).</summary>
    private static void Probe(string root)
    {
        var path = Path.Combine(root, "space.probe");
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            stream.Write(new byte[ProbeBytes]);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Describe(Exception? fault) =>
        $"The embedded store refuses writes: {fault?.Message ?? "it failed"}. It recovers by itself (retried every second) once the disk accepts writes again.";

    private async Task LoopAsync()
    {
        var lastCheckpoint = _time.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    Tick(ref lastCheckpoint);
                }
                catch (Exception e)
                {
                    // Tick handles its own failures; this is the last resort, never silent.
                    LogLoopFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // closing
        }
    }

    /// <summary>Stops the background work, then closes the engine (flush, checkpoint): nothing writes into the directory afterwards.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _loop.GetAwaiter().GetResult();
        _stopping.Dispose();
        Interlocked.Exchange(ref _engine, null)?.Dispose();
    }

    /// <summary>Closes like a crash would leave things (tests): no checkpoint, the log as written.</summary>
    internal void Abandon()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _loop.GetAwaiter().GetResult();
        _stopping.Dispose();
        Interlocked.Exchange(ref _engine, null)?.Abandon();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The embedded store at {Root} failed and refuses writes until it has reopened: {Reason}")]
    private partial void LogFaulted(Exception? exception, string root, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedded store could not recover yet ({Step}); retrying every second")]
    private partial void LogRecoveryFailed(Exception exception, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "The embedded store at {Root} recovered: reopened from disk, {Records} write-ahead log records replayed")]
    private partial void LogRecovered(string root, int records);

    [LoggerMessage(Level = LogLevel.Error, Message = "A checkpoint of the embedded store at {Root} failed; the write-ahead log keeps every write")]
    private partial void LogCheckpointFailed(Exception exception, string root);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoints of the embedded store at {Root} work again")]
    private partial void LogCheckpointRecovered(string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting old outbox changes of the embedded store at {Root} failed; the next sweep tries again")]
    private partial void LogRetentionFailed(Exception exception, string root);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The embedded store's background loop failed")]
    private partial void LogLoopFailed(Exception exception);
}
