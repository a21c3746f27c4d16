using Jobs.Core.Storage;
using Jobs.Embedded;

namespace Jobs.Conformance.Tests;

/// <summary>The conformance suite against the embedded store: a fresh store in a temporary directory per test.</summary>
public sealed class EmbeddedJobStoreConformanceTests() : JobStoreConformance(new EmbeddedStoreFactory());

public sealed class EmbeddedStoreFactory : IStoreFactory
{
    public string? SkipReason => null;

    public Task<IStoreUnderTest> CreateAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "jobs-conformance", Guid.NewGuid().ToString("N"));
        return Task.FromResult<IStoreUnderTest>(new EmbeddedStoreUnderTest(path));
    }

    private sealed class EmbeddedStoreUnderTest(string path) : IStoreUnderTest
    {
        private readonly EmbeddedJobStore _store = new(new EmbeddedStoreOptions { DataPath = path });

        public IJobStore Jobs => _store;

        public IProcessRegistry Processes => _store;

        public bool SearchIsRealtime => true;

        public Task RefreshAsync() => Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            await _store.DisposeAsync();
            Directory.Delete(path, recursive: true);
        }
    }
}
