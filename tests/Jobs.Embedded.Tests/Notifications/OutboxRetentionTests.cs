using Jobs.Core.Notifications;
using Jobs.Embedded.Engine;
using Jobs.Embedded.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests.Notifications;

/// <summary>The outbox forgets changes past its retention, but never one a consumer has not handled.</summary>
public sealed class OutboxRetentionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(T0);

    public void Dispose() => _dir.Dispose();

    private EmbeddedStoreOptions Options(int hours = 168) => new() { DataPath = _dir.Path, OutboxRetentionHours = hours };

    /// <summary>Logs a change of <paramref name="jobId"/> made at <paramref name="time"/>; returns its outbox sequence.</summary>
    private static async Task<long> ChangeAsync(StorageEngine engine, string jobId, DateTimeOffset time)
    {
        var durable = engine.WriteJob(jobId, Job(jobId), [], new JobChangeRecord.Notice(JobEventTypes.Created, time));
        engine.Log.Signal();
        await durable;
        return engine.Log.DurableSequence;
    }

    private static List<string> Kept(StorageEngine engine) =>
        [.. engine.Outbox.Read(0, engine.Log.DurableSequence, null, 100).Select(e => e.JobId)];

    [Fact]
    public async Task Changes_past_the_retention_go_once_every_consumer_has_handled_them()
    {
        using var engine = StorageEngine.Open(Options(), NullLogger.Instance);
        var retention = new OutboxRetention(Options(), _time);
        var first = await ChangeAsync(engine, "ten-days-old", T0.AddDays(-10));
        await ChangeAsync(engine, "eight-days-old", T0.AddDays(-8));
        await ChangeAsync(engine, "one-day-old", T0.AddDays(-1));
        retention.Handled(OutboxDispatcherName, first);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(retention.SweepIfDue(engine));
        Assert.Equal(["eight-days-old", "one-day-old"], Kept(engine)); // old enough, but not handled yet

        retention.Handled(OutboxDispatcherName, engine.Log.DurableSequence);
        Assert.False(retention.SweepIfDue(engine)); // not due again yet
        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(retention.SweepIfDue(engine));
        Assert.Equal(["one-day-old"], Kept(engine));
    }

    [Fact]
    public async Task Without_consumers_age_alone_decides_and_a_retention_of_zero_keeps_everything()
    {
        using var engine = StorageEngine.Open(Options(), NullLogger.Instance);
        await ChangeAsync(engine, "old", T0.AddDays(-30));
        await ChangeAsync(engine, "new", T0);

        var keepAll = new OutboxRetention(Options(0), _time);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.False(keepAll.SweepIfDue(engine));
        Assert.Equal(["old", "new"], Kept(engine));

        var retention = new OutboxRetention(Options(), _time);
        Assert.False(retention.SweepIfDue(engine)); // the first sweep waits an interval after opening
        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(retention.SweepIfDue(engine));
        Assert.Equal(["new"], Kept(engine));
    }

    [Fact]
    public async Task The_store_passes_a_consumers_progress_to_the_retention_and_the_deletes_survive_a_restart()
    {
        long kept;
        using (var store = new EmbeddedJobStore(Options(), _time))
        {
            await store.CreateAsync(Job("a"), CancellationToken.None);
            await store.CreateAsync(Job("b"), CancellationToken.None);
            kept = store.Head;
            IJobOutbox outbox = store;
            outbox.Handled(OutboxDispatcherName, kept - 1);
            Assert.Equal(kept, store.Host.Retention.KeepFrom);

            _time.Advance(TimeSpan.FromDays(8)); // the background loop sweeps on its next turn
            await Eventually(() => Kept(store.Host.Engine!).Count == 1);
        }

        using var reopened = new EmbeddedJobStore(Options(), _time);
        var events = await reopened.ReadAsync(0, null, 100, CancellationToken.None);
        Assert.Equal([kept], events.Select(e => e.Sequence));
    }

    private const string OutboxDispatcherName = "deliveries";

    /// <summary>Waits for the store's background loop (woken by the fake clock) to have done its work.</summary>
    private static async Task Eventually(Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the background loop did not sweep the outbox within 30 s");
            await Task.Delay(20);
        }
    }
}
