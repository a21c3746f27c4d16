using Jobs.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests;

/// <summary>Background failures are logged, shown by the health check, and recovered from without a restart.</summary>
public sealed class StoreHealthTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();
    private readonly FakeLogger<EmbeddedJobStore> _logger = new();

    public void Dispose() => _dir.Dispose();

    private EmbeddedJobStore Open() => new(new EmbeddedStoreOptions { DataPath = _dir.Path, CheckpointSeconds = 3600 }, TimeProvider.System, _logger);

    private static void Tick(EmbeddedJobStore store)
    {
        long last = 0;
        store.Host.Tick(ref last);
    }

    [Fact]
    public async Task A_write_the_disk_refuses_is_answered_unavailable_leaves_nothing_and_the_store_recovers_by_itself()
    {
        using (var store = Open())
        {
            await store.CreateAsync(Job("before"), None);
            store.Log.BeforeFsync = () => throw new IOException("No space left on device");

            var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(Job("refused"), None));
            Assert.Contains("No space left on device", refused.Message);
            Assert.Equal(HealthStatus.Unhealthy, store.Health.Status);
            Assert.Contains("refuses writes", store.Health.Description);
            Assert.False((await store.CheckHealthAsync(None)).Ready);
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(Job("while-failed"), None));

            Tick(store); // the background loop's next turn: the engine is reopened from disk

            Assert.Equal(HealthStatus.Healthy, store.Health.Status);
            Assert.Null(await store.GetAsync("refused", None));
            Assert.True(await store.CreateAsync(Job("after"), None));
            Assert.Equal(2, (await store.CountAsync(null, None))["count"]!.GetValue<int>());
        }

        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("refuses writes until it has reopened", StringComparison.Ordinal));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains("recovered", StringComparison.Ordinal));
        using var reopened = Open();
        Assert.Null(await reopened.GetAsync("refused", None));
        Assert.Null(await reopened.GetAsync("while-failed", None));
        Assert.NotNull(await reopened.GetAsync("before", None));
        Assert.NotNull(await reopened.GetAsync("after", None));
        Assert.Equal(2, (await reopened.CountAsync(null, None))["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_failing_checkpoint_is_logged_and_degrades_the_store_until_a_checkpoint_works_again()
    {
        using var store = Open();
        await store.CreateAsync(Job("j1"), None);
        // The process snapshot's temporary file cannot be created while a directory has its name.
        var blocker = Path.Combine(_dir.Path, "jobs", "processes.json.tmp");
        Directory.CreateDirectory(blocker);

        await Assert.ThrowsAnyAsync<Exception>(() => store.CheckpointAsync());
        Tick(store);

        Assert.Equal(HealthStatus.Degraded, store.Health.Status);
        Assert.True((await store.CheckHealthAsync(None)).Ready);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Exception is not null);
        Assert.NotNull(await store.GetAsync("j1", None));

        Directory.Delete(blocker);
        Tick(store);

        Assert.Equal(HealthStatus.Healthy, store.Health.Status);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("work again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_health_check_reports_the_stores_health()
    {
        using var store = Open();
        var check = new EmbeddedStoreHealthCheck(store);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("embedded Lucene index", result.Description);
    }
}
