using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Notifications;
using Jobs.Notifications.Dispatching;

namespace Jobs.Notifications.Tests;

public sealed class DeliveryTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TestStore _t = new();
    private Receiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _t.Dispose();
    }

    /// <summary>Dispatches and sends until nothing is due now (no clock movement).</summary>
    private async Task PumpAsync()
    {
        while (await _t.Dispatcher.RunOnceAsync(None) > 0)
        {
        }

        while (await _t.Sender.RunOnceAsync(None) > 0)
        {
        }
    }

    [Fact]
    public async Task Every_event_of_a_job_goes_out_once_in_order_with_template_variables_filled_in()
    {
        await _t.State.AddSubscriptionsAsync([_t.Subscribe(_receiver.Url + "/hook?job=${JOB_ID}&status=${JOB_STATUS}&event=${EVENT}&owner=${OWNER}")], None);
        await _t.NewJobAsync();
        await _t.UpdateAsync("j1", "u1", JobStatus.Running, 10);
        await _t.UpdateAsync("j1", "u2", progress: 50);
        await _t.UpdateAsync("j1", "u3", JobStatus.Succeeded);

        await PumpAsync();

        var got = await _receiver.WaitForAsync(4);
        Assert.Equal(["created", "status", "progress", "status"], got.Select(r => JsonNode.Parse(r.Text)!["type"]!.GetValue<string>()));
        Assert.Equal("?job=j1&status=accepted&event=CREATED&owner=alice", got[0].Query);
        Assert.Equal("?job=j1&status=successful&event=STATUS&owner=alice", got[3].Query);
        var ids = got.Select(r => long.Parse(r.Headers[WebhookSignature.EventIdHeader], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        await PumpAsync();
        Assert.Equal(4, _receiver.Requests.Count); // nothing twice
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_backoff_on_the_clock_then_the_delivery_fails()
    {
        var subscription = _t.Subscribe(_receiver.Url + "/hook");
        await _t.State.AddSubscriptionsAsync([subscription], None);
        _receiver.DefaultStatus = 503;
        await _t.NewJobAsync();

        await PumpAsync();
        Assert.Single(_receiver.Requests);
        var first = Assert.Single(await _t.State.ListDeliveriesAsync(subscription.Id, 10, None));
        Assert.Equal(DeliveryState.Pending, first.State);
        var wait = first.NextAttempt - _t.Clock.GetUtcNow();
        Assert.InRange(wait, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)); // half to all of the first 30 s

        _t.Clock.Advance(wait - TimeSpan.FromSeconds(1));
        await PumpAsync();
        Assert.Single(_receiver.Requests); // not yet due

        _t.Clock.Advance(TimeSpan.FromSeconds(1));
        await PumpAsync();
        Assert.Equal(2, _receiver.Requests.Count);
        var second = Assert.Single(await _t.State.ListDeliveriesAsync(subscription.Id, 10, None));
        Assert.InRange(second.NextAttempt - _t.Clock.GetUtcNow(), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)); // doubled

        _t.Clock.Advance(TimeSpan.FromSeconds(60));
        await PumpAsync();
        var last = Assert.Single(await _t.State.ListDeliveriesAsync(subscription.Id, 10, None));
        Assert.Equal(DeliveryState.Failed, last.State); // MaxAttempts = 3
        Assert.Equal([503, 503, 503], last.Attempts.Select(a => a.StatusCode));
        Assert.All(last.Attempts, a => Assert.StartsWith("HTTP 503", a.Error));
        _t.Clock.Advance(TimeSpan.FromHours(2));
        await PumpAsync();
        Assert.Equal(3, _receiver.Requests.Count);
    }

    [Fact]
    public async Task A_later_event_waits_for_an_earlier_one_that_is_being_retried()
    {
        await _t.State.AddSubscriptionsAsync([_t.Subscribe(_receiver.Url + "/hook")], None);
        _receiver.FailNext(500);
        await _t.NewJobAsync();
        await _t.UpdateAsync("j1", "u1", JobStatus.Running);

        await PumpAsync();
        Assert.Single(_receiver.Requests); // created failed; running waits behind it

        _t.Clock.Advance(TimeSpan.FromSeconds(30));
        await PumpAsync();

        var got = await _receiver.WaitForAsync(3);
        Assert.Equal(["created", "created", "status"], got.Select(r => JsonNode.Parse(r.Text)!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_fire_once_subscription_fires_once_and_events_filter_what_is_sent()
    {
        var once = _t.Subscribe(_receiver.Url + "/once", persistent: false, events: ["RUNNING"]);
        var failures = _t.Subscribe(_receiver.Url + "/failed", events: ["FAILED"]);
        await _t.State.AddSubscriptionsAsync([once, failures], None);
        await _t.NewJobAsync();
        await _t.UpdateAsync("j1", "u1", JobStatus.Running, 10);
        await _t.UpdateAsync("j1", "u2", progress: 20);

        await PumpAsync();

        var got = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal("/once", got.Path);
        Assert.False((await _t.State.GetSubscriptionAsync(once.Id, None))!.Active);
    }

    [Fact]
    public async Task A_filter_subscription_covers_only_its_owners_matching_jobs()
    {
        var mine = _t.Subscribe(_receiver.Url + "/mine", jobId: null, owner: "alice") with { Filter = new JobFilter { Labels = ["campaign"] } };
        await _t.State.AddSubscriptionsAsync([mine], None);
        await _t.NewJobAsync("a1", "alice", "campaign");
        await _t.NewJobAsync("a2", "alice", "other");
        await _t.NewJobAsync("b1", "bob", "campaign");

        await PumpAsync();

        var got = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal("a1", JsonNode.Parse(got.Text)!["jobID"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dispatcher_that_restarts_resumes_at_its_cursor()
    {
        await _t.State.AddSubscriptionsAsync([_t.Subscribe(_receiver.Url + "/hook")], None);
        await _t.NewJobAsync();
        await _t.Dispatcher.RunOnceAsync(None);
        await _t.UpdateAsync("j1", "u1", JobStatus.Running);

        // A new dispatcher (a restarted host) over the same state: only the new event is queued.
        var again = new OutboxDispatcher(_t.Store, _t.State, _t.Planner, _t.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<OutboxDispatcher>.Instance);
        Assert.Equal(1, await again.RunOnceAsync(None));
        while (await _t.Sender.RunOnceAsync(None) > 0)
        {
        }

        Assert.Equal(["created", "status"], (await _receiver.WaitForAsync(2)).Select(r => JsonNode.Parse(r.Text)!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_outbox_forgets_old_changes_but_keeps_those_the_dispatcher_has_not_queued()
    {
        await _t.State.AddSubscriptionsAsync([_t.Subscribe(_receiver.Url + "/hook")], None);
        await _t.NewJobAsync();
        await _t.Dispatcher.RunOnceAsync(None); // queues `created`: the outbox may forget it
        await _t.UpdateAsync("j1", "u1", JobStatus.Running); // not queued yet

        _t.Clock.Advance(TimeSpan.FromDays(8)); // past the retention (7 days): the store's loop sweeps
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await _t.Store.ReadAsync(0, null, 10, None)).Count > 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the outbox was not swept within 30 s");
            await Task.Delay(20);
        }

        Assert.Equal(["status"], (await _t.Store.ReadAsync(0, null, 10, None)).Select(e => e.Type));
        Assert.Equal(1, await _t.Dispatcher.RunOnceAsync(None));
        while (await _t.Sender.RunOnceAsync(None) > 0)
        {
        }

        Assert.Equal(["created", "status"], (await _receiver.WaitForAsync(2)).Select(r => JsonNode.Parse(r.Text)!["type"]!.GetValue<string>()));
    }
}
