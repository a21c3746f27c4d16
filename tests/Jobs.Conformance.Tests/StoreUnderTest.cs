using Jobs.Core.Storage;

namespace Jobs.Conformance.Tests;

/// <summary>
/// A fresh, empty store of one adapter for one test, or the reason it cannot run here
/// (no cluster configured): then every conformance test reports as skipped with that reason.
/// </summary>
public interface IStoreUnderTest : IAsyncDisposable
{
    IJobStore Jobs { get; }

    IProcessRegistry Processes { get; }

    /// <summary>
    /// True when search sees every completed write without <see cref="RefreshAsync"/> (the
    /// embedded store); false where search is near-real-time (Elasticsearch).
    /// </summary>
    bool SearchIsRealtime => false;

    /// <summary>Makes every completed write visible to search (a no-op where it already is).</summary>
    Task RefreshAsync();
}

public interface IStoreFactory
{
    /// <summary>Null when the adapter can run here; otherwise why not (shown as the skip reason).</summary>
    string? SkipReason { get; }

    Task<IStoreUnderTest> CreateAsync();
}
