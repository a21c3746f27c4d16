using System.Text.Json;
using Jobs.Core.Notifications;
using Microsoft.Data.Sqlite;

namespace Jobs.Notifications.Storage;

/// <summary>
/// <see cref="INotificationStore"/> in one SQLite file (<c>Jobs:Notifications:StatePath</c>):
/// subscriptions, deliveries with their tries, and the dispatcher's cursor, with
/// <c>synchronous=FULL</c> so a write that returned survives a crash. One connection, used by one
/// caller at a time: the work is small and a single writer never meets a busy database.
/// </summary>
public sealed class SqliteNotificationStore : INotificationStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public SqliteNotificationStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS subscriptions (
                id TEXT PRIMARY KEY, owner TEXT NOT NULL, job_id TEXT, created INTEGER NOT NULL, active INTEGER NOT NULL, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS subscriptions_job ON subscriptions (job_id, active);
            CREATE TABLE IF NOT EXISTS deliveries (
                id TEXT PRIMARY KEY, subscription_id TEXT NOT NULL, job_id TEXT NOT NULL, seq INTEGER NOT NULL,
                state INTEGER NOT NULL, next_attempt INTEGER NOT NULL, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt);
            CREATE INDEX IF NOT EXISTS deliveries_order ON deliveries (subscription_id, job_id, state, seq);
            CREATE TABLE IF NOT EXISTS cursors (consumer TEXT PRIMARY KEY, seq INTEGER NOT NULL);
            """);
    }

    public Task AddSubscriptionsAsync(IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken) =>
        WithGate(() =>
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var s in subscriptions)
            {
                Execute("INSERT INTO subscriptions (id, owner, job_id, created, active, json) VALUES ($id, $owner, $job, $created, $active, $json)",
                    ("$id", s.Id), ("$owner", s.Owner), ("$job", s.JobId), ("$created", s.Created.ToUnixTimeMilliseconds()), ("$active", s.Active ? 1 : 0), ("$json", ToJson(s)));
            }

            transaction.Commit();
            return 0;
        });

    public Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        WithGate(() => QuerySubscriptions("SELECT json FROM subscriptions WHERE id = $id", ("$id", id)).FirstOrDefault());

    public Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string? owner, string? jobId, CancellationToken cancellationToken) =>
        WithGate<IReadOnlyList<Subscription>>(() => QuerySubscriptions(
            "SELECT json FROM subscriptions WHERE ($owner IS NULL OR owner = $owner) AND ($job IS NULL OR job_id = $job) ORDER BY created DESC, id DESC",
            ("$owner", owner), ("$job", jobId)));

    public Task<IReadOnlyList<Subscription>> CandidatesAsync(string jobId, CancellationToken cancellationToken) =>
        WithGate<IReadOnlyList<Subscription>>(() => QuerySubscriptions(
            "SELECT json FROM subscriptions WHERE active = 1 AND (job_id = $job OR job_id IS NULL) ORDER BY created, id", ("$job", jobId)));

    public Task<bool> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        WithGate(() =>
        {
            using var transaction = _connection.BeginTransaction();
            var removed = Execute("DELETE FROM subscriptions WHERE id = $id", ("$id", id));
            Execute("DELETE FROM deliveries WHERE subscription_id = $id AND state = 0", ("$id", id));
            transaction.Commit();
            return removed > 0;
        });

    public Task RetireSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        WithGate(() =>
        {
            if (QuerySubscriptions("SELECT json FROM subscriptions WHERE id = $id", ("$id", id)).FirstOrDefault() is { } s)
            {
                Execute("UPDATE subscriptions SET active = 0, json = $json WHERE id = $id", ("$id", id), ("$json", ToJson(s with { Active = false })));
            }

            return 0;
        });

    public Task<long> GetCursorAsync(string consumer, CancellationToken cancellationToken) =>
        WithGate(() => Scalar("SELECT seq FROM cursors WHERE consumer = $c", ("$c", consumer)) ?? 0);

    public Task EnqueueAsync(IReadOnlyList<Delivery> deliveries, string consumer, long cursor, CancellationToken cancellationToken) =>
        WithGate(() =>
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var d in deliveries)
            {
                Execute("INSERT OR IGNORE INTO deliveries (id, subscription_id, job_id, seq, state, next_attempt, json) VALUES ($id, $s, $j, $seq, 0, $next, $json)",
                    ("$id", d.Id), ("$s", d.SubscriptionId), ("$j", d.JobId), ("$seq", d.Sequence), ("$next", d.NextAttempt.ToUnixTimeMilliseconds()), ("$json", ToJson(d)));
            }

            Execute("INSERT INTO cursors (consumer, seq) VALUES ($c, $seq) ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq", ("$c", consumer), ("$seq", cursor));
            transaction.Commit();
            return 0;
        });

    public Task<IReadOnlyList<Delivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        WithGate<IReadOnlyList<Delivery>>(() => QueryDeliveries("""
            SELECT d.json FROM deliveries d
            WHERE d.state = 0 AND d.next_attempt <= $now
              AND d.seq = (SELECT MIN(e.seq) FROM deliveries e WHERE e.state = 0 AND e.subscription_id = d.subscription_id AND e.job_id = d.job_id)
            ORDER BY d.seq LIMIT $limit
            """, ("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit)));

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        WithGate(() => Scalar("SELECT MIN(next_attempt) FROM deliveries WHERE state = 0") is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null);

    public Task RecordAttemptAsync(string deliveryId, DeliveryAttempt attempt, DeliveryState state, DateTimeOffset nextAttempt, CancellationToken cancellationToken) =>
        WithGate(() =>
        {
            using var transaction = _connection.BeginTransaction();
            if (QueryDeliveries("SELECT json FROM deliveries WHERE id = $id", ("$id", deliveryId)).FirstOrDefault() is { } d)
            {
                var updated = d with { State = state, NextAttempt = nextAttempt, Attempts = [.. d.Attempts, attempt] };
                Execute("UPDATE deliveries SET state = $state, next_attempt = $next, json = $json WHERE id = $id",
                    ("$id", deliveryId), ("$state", (int)state), ("$next", nextAttempt.ToUnixTimeMilliseconds()), ("$json", ToJson(updated)));
            }

            transaction.Commit();
            return 0;
        });

    public Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(string subscriptionId, int limit, CancellationToken cancellationToken) =>
        WithGate<IReadOnlyList<Delivery>>(() => QueryDeliveries(
            "SELECT json FROM deliveries WHERE subscription_id = $s ORDER BY seq DESC LIMIT $limit", ("$s", subscriptionId), ("$limit", limit)));

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private async Task<T> WithGate<T>(Func<T> work)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    private long? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteScalar() is long value ? value : null;
    }

    private List<Subscription> QuerySubscriptions(string sql, params (string Name, object? Value)[] parameters) =>
        Query(sql, parameters, json => JsonSerializer.Deserialize(json, NotificationsJsonContext.Default.Subscription)!);

    private List<Delivery> QueryDeliveries(string sql, params (string Name, object? Value)[] parameters) =>
        Query(sql, parameters, json => JsonSerializer.Deserialize(json, NotificationsJsonContext.Default.Delivery)!);

    private List<T> Query<T>(string sql, (string Name, object? Value)[] parameters, Func<string, T> read)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var items = new List<T>();
        while (reader.Read())
        {
            items.Add(read(reader.GetString(0)));
        }

        return items;
    }

    private static string ToJson(Subscription s) => JsonSerializer.Serialize(s, NotificationsJsonContext.Default.Subscription);

    private static string ToJson(Delivery d) => JsonSerializer.Serialize(d, NotificationsJsonContext.Default.Delivery);
}
