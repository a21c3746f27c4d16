using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Notifications;
using Jobs.Core.Updates;
using Jobs.Embedded;
using Jobs.Notifications.Dispatching;
using Jobs.Notifications.Email;
using Jobs.Notifications.Storage;
using Jobs.Notifications.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Notifications.Tests;

/// <summary>Renders deliveries as the event type and job status (the API's renderer is tested with the API).</summary>
internal sealed class PlainRenderer : IEventRenderer
{
    public string JobUrl(string jobId) => $"http://jobs.test/jobs/{jobId}";

    public string Render(OutboxEvent e, DeliveryStyle style, string subscriptionId) =>
        $$"""{"id":"{{e.Cursor}}","type":"{{e.Type}}","jobID":"{{e.JobId}}","status":"{{e.Job.Status.ToOgcValue()}}","style":"{{style}}"}""";
}

/// <summary>
/// A real embedded store and a real SQLite notification state in a temporary directory, on a
/// fake clock, with the dispatcher and the sender wired as the host wires them.
/// </summary>
internal sealed class TestStore : IDisposable
{
    public const string Token = "notify-token-0123456789";
    private int _updates;

    public TestStore(NotificationOptions? options = null)
    {
        Options = options ?? new NotificationOptions { AllowedHosts = ["127.0.0.1"], MaxAttempts = 3, RetryInitialSeconds = 30 };
        Store = new EmbeddedJobStore(new EmbeddedStoreOptions { DataPath = Path.Combine(Dir, "data") }, Clock);
        State = new SqliteNotificationStore(Path.Combine(Dir, "notifications.db"));
        Webhooks = new WebhookSender(Options, Clock);
        Planner = new DeliveryPlanner(State, Store, new PlainRenderer(), Clock, NullLogger<DeliveryPlanner>.Instance);
        Dispatcher = new OutboxDispatcher(Store, State, Planner, Clock, NullLogger<OutboxDispatcher>.Instance);
        Sender = new DeliverySender(State, Webhooks, new EmailSender(Options.Smtp), Options, Clock, NullLogger<DeliverySender>.Instance);
    }

    public static DateTimeOffset T0 { get; } = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "jobs-notifications-tests", Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Clock { get; } = new(T0);

    public NotificationOptions Options { get; }

    public EmbeddedJobStore Store { get; }

    public SqliteNotificationStore State { get; }

    public WebhookSender Webhooks { get; }

    public DeliveryPlanner Planner { get; }

    public OutboxDispatcher Dispatcher { get; }

    public DeliverySender Sender { get; }

    public async Task<string> NewJobAsync(string id = "j1", string user = "alice", params string[] labels)
    {
        var job = JobMerger.Create(new JobDocument { Id = id, ProcessId = "p", Created = Clock.GetUtcNow(), UserId = user, TokenSha256 = UpdateToken.Hash(Token) }, labels);
        Assert.True(await Store.CreateAsync(job, CancellationToken.None));
        return id;
    }

    /// <summary>An update timed a millisecond after the previous one (so updates apply in the order sent).</summary>
    public Task<IReadOnlyList<UpdateResult>> UpdateAsync(string jobId, string id, JobStatus? status = null, int? progress = null) =>
        Store.ApplyAsync([new JobUpdate(new UpdateMessage { Id = id, JobId = jobId, Token = Token, Time = Clock.GetUtcNow().AddMilliseconds(Interlocked.Increment(ref _updates)), Status = status, Progress = progress }, EventSources.Api)], CancellationToken.None);

    public Subscription Subscribe(string url, string? jobId = "j1", string owner = "alice", bool persistent = true, params string[] events) => new()
    {
        Id = SubscriptionFactory.NewId(),
        Owner = owner,
        JobId = jobId,
        Url = url,
        Events = events.Length > 0 ? events : ["*"],
        Persistent = persistent,
        Secret = "whsec_test",
        Created = Clock.GetUtcNow(),
    };

    public void Dispose()
    {
        Webhooks.Dispose();
        State.Dispose();
        Store.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // a file still closing; a temporary directory left behind is harmless
        }
    }
}
