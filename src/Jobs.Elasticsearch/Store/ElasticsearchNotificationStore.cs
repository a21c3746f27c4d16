using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Json;
using Jobs.Core.Notifications;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Bootstrap;
using Jobs.Elasticsearch.Cluster;
using Jobs.Elasticsearch.Dtos;

namespace Jobs.Elasticsearch.Store;

/// <summary>
/// Subscriptions and deliveries on the cluster (<see cref="INotificationStore"/>), for the
/// hosts of a store that publishes its events to a queue (the API and the notifier on AWS):
/// <c>{prefix}job-subscriptions</c> (<c>_id</c> = subscription id) and <c>{prefix}job-deliveries</c>
/// (<c>_id</c> = <c>{subscription id}-{event id}</c>, created with <c>op_type=create</c>, so an
/// event delivered twice by the queue makes one delivery). Each document keeps the Core record
/// whole (not indexed) beside the few fields the store searches on. Owner scoping is the API's,
/// exactly as on the SQLite store.
/// </summary>
/// <remarks>
/// There is no store-wide sequence here: the queue is the consumer's cursor, so
/// <see cref="GetCursorAsync"/> is always 0 and <see cref="EnqueueAsync"/> ignores the cursor.
/// The writes that a following search must see (a new subscription, a delivery queued, a try
/// recorded) wait for the refresh (<c>refresh=wait_for</c>): a delivery just recorded as
/// delivered is never found pending again. <see cref="DueAsync"/> reads at most
/// <see cref="MaxPending"/> pending deliveries, the oldest first.
/// </remarks>
internal sealed class ElasticsearchNotificationStore(ElasticsearchHttpClient client, IndexBootstrapper bootstrapper) : INotificationStore
{
    public const int MaxPending = 1000;
    private const int MaxSubscriptions = 1000;

    private IndexLayout Layout => bootstrapper.Layout;

    public async Task AddSubscriptionsAsync(IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken)
    {
        await bootstrapper.EnsureNotificationsAsync(cancellationToken);
        foreach (var s in subscriptions)
        {
            var response = await client.IndexDocumentAsync(Layout.Subscriptions.Alias, s.Id, SubscriptionSource(s), Refresh.WaitFor, cancellationToken);
            if (!response.IsSuccess)
            {
                throw response.Unexpected($"Storing subscription {s.Id}");
            }
        }
    }

    public async Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        await bootstrapper.EnsureNotificationsAsync(cancellationToken);
        var source = await GetAsync(Layout.Subscriptions.Alias, id, cancellationToken);
        return source?.GetProperty("subscription").Deserialize(NotificationJsonContext.Default.Subscription);
    }

    public Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string? owner, string? jobId, CancellationToken cancellationToken)
    {
        var filters = new JsonArray();
        if (owner is not null)
        {
            filters.Add(Term("owner", owner));
        }

        if (jobId is not null)
        {
            filters.Add(Term("job-id", jobId));
        }

        return SearchSubscriptionsAsync(new JsonObject { ["filter"] = filters }, "desc", cancellationToken);
    }

    public Task<IReadOnlyList<Subscription>> CandidatesAsync(string jobId, CancellationToken cancellationToken)
    {
        var jobOrFilter = new JsonObject
        {
            ["bool"] = new JsonObject
            {
                ["should"] = new JsonArray(
                    Term("job-id", jobId),
                    new JsonObject { ["bool"] = new JsonObject { ["must_not"] = new JsonArray(new JsonObject { ["exists"] = new JsonObject { ["field"] = "job-id" } }) } }),
                ["minimum_should_match"] = 1,
            },
        };
        return SearchSubscriptionsAsync(new JsonObject { ["filter"] = new JsonArray(Term("active", true), jobOrFilter) }, "asc", cancellationToken);
    }

    public async Task<bool> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        await bootstrapper.EnsureNotificationsAsync(cancellationToken);
        var response = await client.DeleteDocumentAsync(Layout.Subscriptions.Alias, id, Refresh.WaitFor, cancellationToken);
        if (response.Status == 404)
        {
            return false;
        }

        if (!response.IsSuccess)
        {
            throw response.Unexpected($"Deleting subscription {id}");
        }

        var query = new JsonObject { ["query"] = Bool(Term("subscription-id", id), Term("state", "pending")) };
        var dropped = await client.DeleteByQueryAsync(Layout.Deliveries.Alias, query, cancellationToken);
        if (!dropped.IsSuccess)
        {
            throw dropped.Unexpected($"Dropping the pending deliveries of subscription {id}");
        }

        return true;
    }

    public async Task RetireSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetSubscriptionAsync(id, cancellationToken) is { } s)
        {
            await AddSubscriptionsAsync([s with { Active = false }], cancellationToken);
        }
    }

    public Task<long> GetCursorAsync(string consumer, CancellationToken cancellationToken) => Task.FromResult(0L);

    public async Task EnqueueAsync(IReadOnlyList<Delivery> deliveries, string consumer, long cursor, CancellationToken cancellationToken)
    {
        await bootstrapper.EnsureNotificationsAsync(cancellationToken);
        foreach (var d in deliveries)
        {
            var response = await client.CreateDocumentAsync(Layout.Deliveries.Alias, d.Id, DeliverySource(d), Refresh.WaitFor, cancellationToken);
            if (!response.IsSuccess && response.Status != 409)
            {
                throw response.Unexpected($"Queuing delivery {d.Id}");
            }
        }
    }

    public async Task<IReadOnlyList<Delivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var pending = await SearchDeliveriesAsync(Bool(Term("state", "pending")), "sequence", "asc", MaxPending, cancellationToken);
        return [.. pending
            .GroupBy(d => (d.SubscriptionId, d.JobId))
            .Select(g => g.MinBy(d => d.Sequence)!)
            .Where(d => d.NextAttempt <= now)
            .OrderBy(d => d.NextAttempt)
            .Take(limit)];
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        (await SearchDeliveriesAsync(Bool(Term("state", "pending")), "next-attempt", "asc", 1, cancellationToken)).FirstOrDefault()?.NextAttempt;

    public async Task RecordAttemptAsync(string deliveryId, DeliveryAttempt attempt, DeliveryState state, DateTimeOffset nextAttempt, CancellationToken cancellationToken)
    {
        await bootstrapper.EnsureNotificationsAsync(cancellationToken);
        if (await GetAsync(Layout.Deliveries.Alias, deliveryId, cancellationToken) is not { } source
            || source.GetProperty("delivery").Deserialize(NotificationJsonContext.Default.Delivery) is not { } d)
        {
            return; // deleted with its subscription meanwhile
        }

        var updated = d with { State = state, NextAttempt = nextAttempt, Attempts = [.. d.Attempts, attempt] };
        var response = await client.IndexDocumentAsync(Layout.Deliveries.Alias, deliveryId, DeliverySource(updated), Refresh.WaitFor, cancellationToken);
        if (!response.IsSuccess)
        {
            throw response.Unexpected($"Recording a try of delivery {deliveryId}");
        }
    }

    public Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(string subscriptionId, int limit, CancellationToken cancellationToken) =>
        SearchDeliveriesAsync(Bool(Term("subscription-id", subscriptionId)), "created", "desc", Math.Clamp(limit, 1, MaxPending), cancellationToken);

    private async Task<IReadOnlyList<Subscription>> SearchSubscriptionsAsync(JsonObject boolQuery, string order, CancellationToken cancellationToken)
    {
        var hits = await SearchAsync(Layout.Subscriptions.Alias, new JsonObject { ["bool"] = boolQuery }, "created", order, MaxSubscriptions, cancellationToken);
        return [.. hits.Select(h => h.GetProperty("subscription").Deserialize(NotificationJsonContext.Default.Subscription)!)];
    }

    private async Task<IReadOnlyList<Delivery>> SearchDeliveriesAsync(JsonObject query, string sort, string order, int size, CancellationToken cancellationToken)
    {
        var hits = await SearchAsync(Layout.Deliveries.Alias, query, sort, order, size, cancellationToken);
        return [.. hits.Select(h => h.GetProperty("delivery").Deserialize(NotificationJsonContext.Default.Delivery)!)];
    }

    private async Task<IEnumerable<JsonElement>> SearchAsync(string index, JsonObject query, string sort, string order, int size, CancellationToken cancellationToken)
    {
        await bootstrapper.EnsureNotificationsAsync(cancellationToken);
        var body = new JsonObject
        {
            ["size"] = size,
            ["query"] = query,
            ["sort"] = new JsonArray(new JsonObject { [sort] = order }),
            ["track_total_hits"] = false,
        };
        var response = await client.SearchAsync(index, body, cancellationToken);
        if (!response.IsSuccess)
        {
            throw response.Unexpected($"Searching [{index}]");
        }

        return response.Read(EsJsonContext.Default.SearchHitsResponse).Hits.Hits.Select(h => h.Source);
    }

    private async Task<JsonElement?> GetAsync(string index, string id, CancellationToken cancellationToken)
    {
        var response = await client.GetDocumentAsync(index, id, cancellationToken);
        if (response.Status == 404)
        {
            return null;
        }

        if (response.Status != 200)
        {
            throw response.Unexpected($"Reading [{index}] {id}");
        }

        var found = response.Read(EsJsonContext.Default.GetResponse);
        return found is { Found: true, Source: { } source } ? source : null;
    }

    private static byte[] SubscriptionSource(Subscription s) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["owner"] = s.Owner,
        ["job-id"] = s.JobId,
        ["active"] = s.Active,
        ["created"] = UtcTimestampJsonConverter.ToText(s.Created),
        ["subscription"] = JsonSerializer.SerializeToNode(s, NotificationJsonContext.Default.Subscription),
    }, JsonObjectContext.Default.JsonObject);

    private static byte[] DeliverySource(Delivery d) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["subscription-id"] = d.SubscriptionId,
        ["job-id"] = d.JobId,
        ["sequence"] = d.Sequence,
        ["state"] = d.State.ToString().ToLowerInvariant(),
        ["next-attempt"] = UtcTimestampJsonConverter.ToText(d.NextAttempt),
        ["created"] = UtcTimestampJsonConverter.ToText(d.Created),
        ["delivery"] = JsonSerializer.SerializeToNode(d, NotificationJsonContext.Default.Delivery),
    }, JsonObjectContext.Default.JsonObject);

    private static JsonObject Term(string field, JsonNode value) => new() { ["term"] = new JsonObject { [field] = value } };

    private static JsonObject Bool(params JsonNode[] filters) => new() { ["bool"] = new JsonObject { ["filter"] = new JsonArray(filters) } };
}
