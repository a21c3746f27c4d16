using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Jobs.Embedded;

namespace Jobs.Functions.Tests.Fakes;

/// <summary>
/// The real embedded store (in a temporary directory; it runs the conformance suite) behind a
/// door that can be told to be down, to answer <see cref="UpdateOutcomeKind.Retry"/> for some
/// jobs, or to hold a batch in flight. Not a store of its own: every update is merged and stored
/// by <see cref="EmbeddedJobStore"/>.
/// </summary>
internal sealed class FaultyJobStore : IJobStore, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "jobs-functions-tests", Guid.NewGuid().ToString("N"));
    private readonly EmbeddedJobStore _inner;
    private readonly Lock _lock = new();

    public FaultyJobStore(TimeProvider? time = null)
    {
        _inner = new EmbeddedJobStore(new EmbeddedStoreOptions { DataPath = _path }, time);
    }

    /// <summary>When true, every ApplyAsync throws <see cref="StoreUnavailableException"/>.</summary>
    public bool Unavailable { get; set; }

    /// <summary>Jobs whose updates the store refuses for now (throttling, conflict).</summary>
    public HashSet<string> Throttled { get; } = new(StringComparer.Ordinal);

    /// <summary>How many ApplyAsync calls reached the store, and the size of each.</summary>
    public List<int> Calls { get; } = [];

    /// <summary>Awaited inside ApplyAsync before anything is stored (to hold a batch in flight).</summary>
    public Func<CancellationToken, Task>? BeforeApply { get; set; }

    public void Add(JobDocument job) => _inner.CreateAsync(job, CancellationToken.None).GetAwaiter().GetResult();

    public JobDocument? Get(string id) => _inner.GetAsync(id, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The job's whole history, oldest first.</summary>
    public IReadOnlyList<JobEvent> History(string id) => _inner.GetHistoryAsync(id, null, 10_000, CancellationToken.None).GetAwaiter().GetResult().Events;

    public Task<bool> CreateAsync(JobDocument job, CancellationToken cancellationToken) => _inner.CreateAsync(job, cancellationToken);

    public Task<JobDocument?> GetAsync(string jobId, CancellationToken cancellationToken) => _inner.GetAsync(jobId, cancellationToken);

    public Task<HistoryPage> GetHistoryAsync(string jobId, string? after, int limit, CancellationToken cancellationToken) =>
        _inner.GetHistoryAsync(jobId, after, limit, cancellationToken);

    public async Task<IReadOnlyList<UpdateResult>> ApplyAsync(IReadOnlyList<JobUpdate> updates, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Calls.Add(updates.Count);
        }

        if (BeforeApply is { } hold)
        {
            await hold(cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Unavailable)
        {
            throw new StoreUnavailableException("the test store is down");
        }

        var passed = updates.Select((u, i) => (u, i)).Where(x => !Throttled.Contains(x.u.Message.JobId)).ToList();
        var stored = await _inner.ApplyAsync([.. passed.Select(x => x.u)], cancellationToken);
        var results = updates.Select(u => new UpdateResult(u.Message.Id, u.Message.JobId, UpdateOutcomeKind.Retry, "throttled")).ToArray();
        for (var n = 0; n < passed.Count; n++)
        {
            results[passed[n].i] = stored[n];
        }

        return results;
    }

    public Task<JsonObject> SearchAsync(JsonObject request, CancellationToken cancellationToken) => _inner.SearchAsync(request, cancellationToken);

    public Task<JsonObject> CountAsync(JsonObject? request, CancellationToken cancellationToken) => _inner.CountAsync(request, cancellationToken);

    public Task<JsonObject> GetMappingAsync(CancellationToken cancellationToken) => _inner.GetMappingAsync(cancellationToken);

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        Unavailable ? Task.FromResult(new StoreHealth(false, "down")) : _inner.CheckHealthAsync(cancellationToken);

    public void Dispose()
    {
        _inner.Dispose();
        if (Directory.Exists(_path))
        {
            Directory.Delete(_path, recursive: true);
        }
    }
}
