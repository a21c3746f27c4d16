using Jobs.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests.DiskFull;

/// <summary>The embedded store on a real, small file system that fills up, then gets its space back.</summary>
public sealed class DiskFullTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task A_full_disk_refuses_creates_leaves_nothing_of_them_and_the_store_recovers_when_space_returns()
    {
        using var disk = SmallFileSystem.TryMount(16, out var whyNot);
        Skip.If(disk is null, whyNot);
        var options = new EmbeddedStoreOptions { DataPath = Path.Combine(disk.Path, "data"), CheckpointSeconds = 3600 };
        // A fake clock: the background loop turns only when the test says (Tick), never on its own.
        var time = new FakeTimeProvider();
        var logger = new FakeLogger<EmbeddedJobStore>();
        var acknowledged = new List<string>();
        string? refused = null;
        using (var store = new EmbeddedJobStore(options, time, logger))
        {
            var filler = disk.Fill(leaveBytes: 256 << 10);
            for (var i = 0; refused is null && i < 100_000; i++)
            {
                var id = $"job-{i}";
                try
                {
                    await store.CreateAsync(Job(id, [new string('x', 200), new string('y', 200)]), None);
                    acknowledged.Add(id);
                }
                catch (StoreUnavailableException e)
                {
                    refused = id;
                    Assert.Contains("No space left on device", e.ToString());
                }
            }

            Assert.NotNull(refused);
            Assert.NotEmpty(acknowledged);
            Assert.Equal(HealthStatus.Unhealthy, store.Health.Status);
            Tick(store); // the disk is still full: the store stays unready, and says why
            Assert.Equal(HealthStatus.Unhealthy, store.Health.Status);
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(Job("while-full"), None));

            File.Delete(filler);
            Tick(store);

            Assert.Equal(HealthStatus.Healthy, store.Health.Status);
            Assert.Null(await store.GetAsync(refused!, None));
            Assert.Equal(acknowledged.Count, Count(await store.CountAsync(null, None)));
            Assert.True(await store.CreateAsync(Job("after"), None));
        }

        using var reopened = new EmbeddedJobStore(options);
        Assert.Null(await reopened.GetAsync(refused!, None));
        Assert.Null(await reopened.GetAsync("while-full", None));
        Assert.NotNull(await reopened.GetAsync("after", None));
        foreach (var id in acknowledged)
        {
            Assert.NotNull(await reopened.GetAsync(id, None));
        }

        Assert.Equal(acknowledged.Count + 1, Count(await reopened.CountAsync(null, None)));
    }

    private static int Count(System.Text.Json.Nodes.JsonObject count) => count["count"]!.GetValue<int>();

    private static void Tick(EmbeddedJobStore store)
    {
        long last = 0;
        store.Host.Tick(ref last);
    }
}
