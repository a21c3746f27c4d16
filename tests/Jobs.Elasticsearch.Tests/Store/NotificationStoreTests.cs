using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Notifications;
using Jobs.Elasticsearch.Store;
using Jobs.Elasticsearch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Elasticsearch.Tests.Store;

/// <summary>Subscriptions and deliveries on the cluster, on the wire: what is written, how it is searched, what is read back.</summary>
public sealed class NotificationStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = StoreHarness.Now;
    private readonly StoreHarness _harness = new();

    private EsServer Es => _harness.Es;

    private INotificationStore State => _harness.Services.GetRequiredService<INotificationStore>();

    public Task InitializeAsync() => _harness.StartAsync();

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task A_subscription_is_written_whole_with_its_searched_fields_and_waits_for_the_refresh()
    {
        Es.On("PUT", "/job-subscriptions/_doc/sub-1", 201, EsAnswers.Created("job-subscriptions-000001", "sub-1"));

        await State.AddSubscriptionsAsync([Subscription("sub-1", "j1")], CancellationToken.None);

        var put = Es.Requests.Single(r => r.Method == "PUT" && r.PathAndQuery.StartsWith("/job-subscriptions/_doc", StringComparison.Ordinal));
        Assert.Equal("PUT /job-subscriptions/_doc/sub-1?refresh=wait_for", put.Line);
        var doc = JsonNode.Parse(put.Body!)!;
        Assert.Equal(("alice", "j1", true), ((string)doc["owner"]!, (string)doc["job-id"]!, (bool)doc["active"]!));
        Assert.Equal("https://hooks.example.org/x", (string)doc["subscription"]!["Url"]!);
    }

    [Fact]
    public async Task Candidates_are_the_active_subscriptions_of_the_job_and_every_filter_subscription()
    {
        Es.On("POST", "/job-subscriptions/_search", 200, Hits(("subscription", Subscription("sub-1", "j1")), ("subscription", Subscription("sub-2", null))));

        var found = await State.CandidatesAsync("j1", CancellationToken.None);

        Assert.Equal(["sub-1", "sub-2"], found.Select(s => s.Id));
        var query = JsonNode.Parse(Es.Requests.Single(r => r.Line == "POST /job-subscriptions/_search").Body!)!["query"]!;
        Assert.Equal(
            """{"bool":{"filter":[{"term":{"active":true}},{"bool":{"should":[{"term":{"job-id":"j1"}},{"bool":{"must_not":[{"exists":{"field":"job-id"}}]}}],"minimum_should_match":1}}]}}""",
            query.ToJsonString());
    }

    [Fact]
    public async Task A_delivery_queued_twice_is_one_delivery()
    {
        Es.OnSequence("PUT", "/job-deliveries/_doc/sub-1-j1:1",
            (201, EsAnswers.Created("job-deliveries-000001", "sub-1-j1:1")),
            (409, EsAnswers.VersionConflictExists("sub-1-j1:1")));

        await State.EnqueueAsync([Delivery("sub-1", "j1", 1, Now)], "deliveries", 0, CancellationToken.None);
        await State.EnqueueAsync([Delivery("sub-1", "j1", 1, Now)], "deliveries", 0, CancellationToken.None);

        var puts = Es.Requests.Where(r => r.Method == "PUT" && r.PathAndQuery.StartsWith("/job-deliveries/_doc", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, puts.Count);
        Assert.All(puts, p => Assert.Equal("PUT /job-deliveries/_doc/sub-1-j1:1?op_type=create&refresh=wait_for", p.Line));
        Assert.Equal("pending", (string)JsonNode.Parse(puts[0].Body!)!["state"]!);
    }

    [Fact]
    public async Task Due_gives_each_subscription_and_job_only_its_earliest_pending_delivery_once_its_time_came()
    {
        Es.On("POST", "/job-deliveries/_search", 200, Hits(
            ("delivery", Delivery("sub-1", "j1", 1, Now.AddSeconds(-5))),
            ("delivery", Delivery("sub-1", "j1", 2, Now.AddSeconds(-10))),
            ("delivery", Delivery("sub-2", "j1", 2, Now.AddSeconds(-1))),
            ("delivery", Delivery("sub-1", "j2", 1, Now.AddMinutes(3)))));

        var due = await State.DueAsync(Now, 10, CancellationToken.None);

        Assert.Equal(["sub-1-j1:1", "sub-2-j1:2"], due.Select(d => d.Id));
        var search = JsonNode.Parse(Es.Requests.Single(r => r.Line == "POST /job-deliveries/_search").Body!)!;
        Assert.Equal("""{"bool":{"filter":[{"term":{"state":"pending"}}]}}""", search["query"]!.ToJsonString());
        Assert.Equal("asc", (string)search["sort"]![0]!["sequence"]!);
    }

    [Fact]
    public async Task A_try_is_appended_to_the_delivery_read_realtime_and_written_back_before_the_next_search()
    {
        var d = Delivery("sub-1", "j1", 1, Now);
        var source = new JsonObject { ["subscription-id"] = "sub-1", ["delivery"] = JsonSerializer.SerializeToNode(d, NotificationJsonContext.Default.Delivery) };
        Es.On("GET", "/job-deliveries/_doc/sub-1-j1:1", 200, EsAnswers.Found("job-deliveries-000001", "sub-1-j1:1", source.ToJsonString()));
        Es.On("PUT", "/job-deliveries/_doc/sub-1-j1:1", 200, EsAnswers.Created("job-deliveries-000001", "sub-1-j1:1"));

        await State.RecordAttemptAsync(d.Id, new DeliveryAttempt(Now, 200, null, 12), DeliveryState.Delivered, Now, CancellationToken.None);

        var put = Es.Requests.Single(r => r.Method == "PUT" && r.PathAndQuery.StartsWith("/job-deliveries/_doc", StringComparison.Ordinal));
        Assert.Equal("PUT /job-deliveries/_doc/sub-1-j1:1?refresh=wait_for", put.Line);
        var written = JsonNode.Parse(put.Body!)!;
        Assert.Equal("delivered", (string)written["state"]!);
        Assert.Equal(200, (int)written["delivery"]!["Attempts"]![0]!["StatusCode"]!);
    }

    private static Subscription Subscription(string id, string? jobId) => new()
    {
        Id = id,
        Owner = "alice",
        JobId = jobId,
        Url = "https://hooks.example.org/x",
        Events = ["*"],
        Secret = "s3cr3t",
        Created = Now,
    };

    private static Delivery Delivery(string subscriptionId, string jobId, long n, DateTimeOffset next) => new()
    {
        Id = $"{subscriptionId}-{jobId}:{n}",
        SubscriptionId = subscriptionId,
        Sequence = n,
        EventId = $"{jobId}:{n}",
        JobId = jobId,
        EventType = JobEventTypes.Status,
        Url = "https://hooks.example.org/x",
        Body = "{}",
        Created = Now,
        NextAttempt = next,
    };

    private static string Hits(params (string Field, object Record)[] hits) =>
        new JsonObject
        {
            ["took"] = 1,
            ["hits"] = new JsonObject
            {
                ["hits"] = new JsonArray([.. hits.Select(h => (JsonNode)new JsonObject
                {
                    ["_id"] = h.Record is Subscription s ? s.Id : ((Delivery)h.Record).Id,
                    ["_source"] = new JsonObject
                    {
                        [h.Field] = h.Record is Subscription sub
                            ? JsonSerializer.SerializeToNode(sub, NotificationJsonContext.Default.Subscription)
                            : JsonSerializer.SerializeToNode((Delivery)h.Record, NotificationJsonContext.Default.Delivery),
                    },
                })]),
            },
        }.ToJsonString();
}
