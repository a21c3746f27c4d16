using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Processes;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Jobs.Embedded.Engine;
using Jobs.Embedded.Indexing;
using Jobs.Embedded.Search;
using Jobs.Search;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Embedded;

/// <summary>
/// The embedded store, as the store port sees it: jobs in a Lucene index on local disk,
/// processes in a small catalog, every change first in a write-ahead log (see
/// <see cref="StorageEngine"/> for durability and recovery, <see cref="EngineHost"/> for the
/// background work and recovery from failures). This class only serialises the writes of each
/// job and turns the port's calls into engine calls. One instance per data path (Lucene's write
/// lock enforces it).
/// </summary>
public sealed partial class EmbeddedJobStore : IJobStore, IParsedSearchStore, IProcessRegistry, IDisposable, IAsyncDisposable
{
    private readonly EmbeddedStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly EngineHost _host;
    // Many stripes: a batch of 100 updates takes 100 of them, and concurrent batches should rarely meet.
    private readonly object[] _stripes = [.. Enumerable.Range(0, 1024).Select(_ => new object())];
    // Process writes are rare: one at a time, held until durable, so a second deploy sees the first.
    private readonly SemaphoreSlim _processWrites = new(1, 1);

    /// <summary>Opens (and recovers) the store at <see cref="EmbeddedStoreOptions.DataPath"/>.</summary>
    public EmbeddedJobStore(EmbeddedStoreOptions options, TimeProvider? time = null, ILogger<EmbeddedJobStore>? logger = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _host = EngineHost.Open(options, _time, (ILogger?)logger ?? NullLogger.Instance, OnDurable);
    }

    /// <summary>What startup found in the write-ahead log.</summary>
    internal Storage.WalRecovery.Result Recovery => Engine.Recovery;

    /// <summary>How many log records startup applied (those after the last checkpoint).</summary>
    internal int Replayed => Engine.Replayed;

    /// <summary>How many fsyncs the write-ahead log has done.</summary>
    internal long FsyncCount => Engine.Log.FsyncCount;

    internal Storage.WriteAheadLog Log => Engine.Log;

    internal EngineHost Host => _host;

    private StorageEngine Engine => _host.Engine ?? throw new InvalidOperationException("no engine is open");

    /// <summary>Readiness: unhealthy while writes are refused (until the engine has recovered), degraded while checkpoints fail.</summary>
    public HealthCheckResult Health => _host.Health;

    // ---------------------------------------------------------------- jobs

    public async Task<bool> CreateAsync(JobDocument job, CancellationToken cancellationToken)
    {
        Task durable;
        var created = false;
        StorageEngine engine;
        lock (Stripe(job.Id))
        {
            engine = _host.Current;
            // A new id the API made is above every stored one: no lookup over every segment.
            if (engine.Jobs.CertainlyAbsent(job.Id) || engine.Jobs.Find(job.Id) is null)
            {
                JobEvent[] creation = [JobMerger.CreationEvent(job)];
                durable = engine.WriteJob(job.Id, job, creation, NoticeFor(null, job, creation));
                created = true;
            }
            else
            {
                // The job exists, but its creation may still be on its way to disk.
                durable = engine.Log.Barrier();
            }
        }

        engine.Log.Signal();
        await durable.WaitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    public Task<JobDocument?> GetAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(Read(engine => engine.Jobs.Find(jobId)?.Job));

    public async Task<IReadOnlyList<UpdateResult>> ApplyAsync(IReadOnlyList<JobUpdate> updates, CancellationToken cancellationToken)
    {
        // One engine for the whole batch: a batch that began on an engine that failed meanwhile
        // fails, rather than writing what it read there into its replacement.
        var backend = new MergeBackend(this, _host.Current);
        IReadOnlyList<UpdateResult> results;
        try
        {
            // Writes of one job are serialised by its stripe; a batch that loses a race to another
            // writer of the same job merges again, as often as it takes.
            results = await UpdateBatches.ApplyAsync(updates, _time.GetUtcNow(), backend, int.MaxValue - 1, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            backend.Engine.Log.Signal();
        }

        // Batches reach the disk in order: the last record's batch covers the earlier ones. A
        // batch of duplicates waits too: the updates it repeats may not be durable yet.
        await (backend.Durable ?? backend.Engine.Log.Barrier()).WaitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    public Task<HistoryPage> GetHistoryAsync(string jobId, string? after, int limit, CancellationToken cancellationToken) =>
        ReadAsync(engine => engine.Jobs.Find(jobId)?.Job is { LegacyEvents: { } legacy }
            ? Task.FromResult(HistoryPages.Page(legacy, after, limit))
            : engine.Events.PageAsync(jobId, after, limit));

    public Task<JsonObject> SearchAsync(JsonObject request, CancellationToken cancellationToken) =>
        Task.FromResult(Read(engine => Searcher(engine).Search(request)));

    public Task<JsonObject> CountAsync(JsonObject? request, CancellationToken cancellationToken) =>
        Task.FromResult(Read(engine => Searcher(engine).Count(request)));

    // The API's searches, parsed and scoped already (explicit: CountAsync(null, …) stays the JSON one).
    Task<JsonObject> IParsedSearchStore.SearchAsync(SearchRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Read(engine => Searcher(engine).Search(request)));

    Task<JsonObject> IParsedSearchStore.CountAsync(CountRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Read(engine => Searcher(engine).Count(request)));

    public Task<JsonObject> GetMappingAsync(CancellationToken cancellationToken) =>
        Task.FromResult(MappingView.Reported());

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var health = _host.Health;
        return Task.FromResult(new StoreHealth(health.Status != HealthStatus.Unhealthy, health.Description ?? ""));
    }

    // ---------------------------------------------------------------- processes

    public async Task<bool> DeployAsync(ProcessDefinition process, CancellationToken cancellationToken)
    {
        await _processWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var engine = _host.Current;
            if (engine.Processes.Contains(process.Id, process.Version))
            {
                return false;
            }

            await engine.Deploy(process).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _processWrites.Release();
        }
    }

    Task<ProcessDefinition?> IProcessRegistry.GetAsync(string id, string? version, CancellationToken cancellationToken) =>
        Task.FromResult(Read(engine => engine.Processes.Get(id, version)));

    public Task<IReadOnlyList<ProcessDefinition>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Read(engine => engine.Processes.List()));

    public async Task<int> UndeployAsync(string id, string? version, CancellationToken cancellationToken)
    {
        await _processWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var engine = _host.Current;
            var removed = engine.Processes.Count(id, version);
            if (removed > 0)
            {
                await engine.Undeploy(id, version).ConfigureAwait(false);
            }

            return removed;
        }
        finally
        {
            _processWrites.Release();
        }
    }

    // ---------------------------------------------------------------- the rest

    /// <summary>Commits the index and the process catalog, then deletes the log segments they cover (tests, the bench).</summary>
    internal Task CheckpointAsync()
    {
        long last = 0;
        _host.Tick(ref last); // replaces a faulted engine first, if any
        Engine.Checkpoint();
        return Task.CompletedTask;
    }

    /// <summary>Reads from the working engine; one closed under the reader by a recovery is "unavailable", not an error.</summary>
    private T Read<T>(Func<StorageEngine, T> read)
    {
        var engine = _host.Current;
        try
        {
            return read(engine);
        }
        catch (Exception e) when (e is ObjectDisposedException && !_host.IsDisposed && engine.Fault is { } fault)
        {
            throw EngineHost.Unavailable(fault);
        }
    }

    /// <summary><see cref="Read{T}"/> for a read that waits for a write on its way to disk.</summary>
    private async Task<T> ReadAsync<T>(Func<StorageEngine, Task<T>> read)
    {
        var engine = _host.Current;
        try
        {
            return await read(engine).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException && !_host.IsDisposed && engine.Fault is { } fault)
        {
            throw EngineHost.Unavailable(fault);
        }
    }

    private JobSearchService Searcher(StorageEngine engine) => new(engine.Jobs, FieldCatalog.Jobs, _time, _options.Search);

    /// <summary>Writes of one job are serialised by its stripe; different jobs are written in parallel.</summary>
    private object Stripe(string jobId) => _stripes[(StringComparer.Ordinal.GetHashCode(jobId) & int.MaxValue) % _stripes.Length];

    /// <summary>Stops the background work, flushes the log, checkpoints and closes: no file changes in the data directory afterwards.</summary>
    public void Dispose()
    {
        _host.Dispose();
    }

    /// <summary>
    /// Closes like a crash would leave things: no checkpoint, the index as of its last commit,
    /// the log as written (for recovery tests).
    /// </summary>
    internal void Abandon() => _host.Abandon();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
