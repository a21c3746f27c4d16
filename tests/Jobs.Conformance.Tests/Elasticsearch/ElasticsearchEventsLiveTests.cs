using System.Collections.Concurrent;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Notifications;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Jobs.Elasticsearch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Conformance.Tests.Elasticsearch;

/// <summary>
/// The Elasticsearch store's job events and notification indices on a live cluster
/// (<c>JOBS_TEST_ELASTICSEARCH_URL</c>; skipped, saying so, without one): every acknowledged
/// write's event is published in order with its stable id, and subscriptions and deliveries
/// round-trip through <c>job-subscriptions</c> and <c>job-deliveries</c>.
/// </summary>
public sealed class ElasticsearchEventsLiveTests
{
    private static readonly string? Url = Environment.GetEnvironmentVariable(ElasticsearchStoreFactory.UrlVariable) is { Length: > 0 } u ? u : null;
    private static readonly string SkipReason = $"No Elasticsearch cluster for the live events tests: set {ElasticsearchStoreFactory.UrlVariable} (a cluster the tests may create indices on).";

    [SkippableFact]
    public async Task Every_acknowledged_write_publishes_its_event_in_order_and_the_outbox_is_cleared()
    {
        Skip.If(Url is null, SkipReason);
        var published = new ConcurrentQueue<OutboxEvent>();
        await using var provider = Provider(new Collecting(published));
        var store = provider.GetRequiredService<IJobStore>();
        var job = JobMerger.Create(new JobDocument { Id = Guid.NewGuid().ToString(), ProcessId = "p", UserId = "alice", Created = DateTimeOffset.UtcNow, TokenSha256 = UpdateToken.Hash("t0k-live-events-0123") }, []);

        Assert.True(await store.CreateAsync(job, CancellationToken.None));
        await store.ApplyAsync([Update(job.Id, "u1", JobStatus.Running, 1)], CancellationToken.None);
        await store.ApplyAsync([Update(job.Id, "u2", JobStatus.Succeeded, 2)], CancellationToken.None);

        Assert.Equal([$"{job.Id}:1", $"{job.Id}:2", $"{job.Id}:3"], published.Select(e => e.Id));
        Assert.Equal([JobEventTypes.Created, JobEventTypes.Status, JobEventTypes.Status], published.Select(e => e.Type));
        Assert.Equal(0, await provider.GetRequiredService<IOutboxSweeper>().SweepAsync(CancellationToken.None));
    }

    [SkippableFact]
    public async Task Subscriptions_and_deliveries_round_trip_and_a_duplicate_delivery_is_one()
    {
        Skip.If(Url is null, SkipReason);
        await using var provider = Provider(null);
        var state = provider.GetRequiredService<INotificationStore>();
        var now = DateTimeOffset.UtcNow;
        var subscription = new Subscription { Id = "sub-live", Owner = "alice", JobId = "j1", Url = "https://hooks.example.org/x", Events = ["*"], Secret = "s", Created = now };
        await state.AddSubscriptionsAsync([subscription], CancellationToken.None);
        var delivery = new Delivery { Id = "sub-live-j1:1", SubscriptionId = "sub-live", Sequence = 1, EventId = "j1:1", JobId = "j1", EventType = "status", Url = subscription.Url, Body = "{}", Created = now, NextAttempt = now };

        await state.EnqueueAsync([delivery], "deliveries", 0, CancellationToken.None);
        await state.EnqueueAsync([delivery], "deliveries", 0, CancellationToken.None);

        Assert.Equal(["sub-live"], (await state.CandidatesAsync("j1", CancellationToken.None)).Select(s => s.Id));
        Assert.Equal(["sub-live-j1:1"], (await state.DueAsync(now.AddSeconds(1), 10, CancellationToken.None)).Select(d => d.Id));
        await state.RecordAttemptAsync(delivery.Id, new DeliveryAttempt(now, 200, null, 3), DeliveryState.Delivered, now, CancellationToken.None);
        Assert.Empty(await state.DueAsync(now.AddSeconds(1), 10, CancellationToken.None));
        Assert.Equal(DeliveryState.Delivered, Assert.Single(await state.ListDeliveriesAsync("sub-live", 10, CancellationToken.None)).State);
    }

    private static ServiceProvider Provider(IEventPublisher? publisher)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:Elasticsearch:Url"] = Url,
            ["Jobs:Elasticsearch:IndexPrefix"] = $"events-{Guid.NewGuid():N}-",
            ["Jobs:Elasticsearch:NumberOfReplicas"] = "0",
        }).Build();
        var services = new ServiceCollection();
        services.AddElasticsearchJobStore(configuration);
        if (publisher is not null)
        {
            services.AddSingleton(publisher);
        }

        return services.BuildServiceProvider();
    }

    private static JobUpdate Update(string jobId, string id, JobStatus status, int second) => new(
        new UpdateMessage { Id = id, JobId = jobId, Token = "t0k-live-events-0123", Time = DateTimeOffset.UtcNow.AddSeconds(second), Status = status }, EventSources.Api);

    private sealed class Collecting(ConcurrentQueue<OutboxEvent> sink) : IEventPublisher
    {
        public Task PublishAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
        {
            foreach (var e in events)
            {
                sink.Enqueue(e);
            }

            return Task.CompletedTask;
        }
    }
}
