using System.Text;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Notifications;
using Jobs.Core.Updates;
using Jobs.Elasticsearch.Store;
using Jobs.Elasticsearch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Elasticsearch.Tests.Store;

/// <summary>
/// The job events' outbox in the job document: each write appends its event, the writer
/// publishes and then clears it conditionally, a failure or a lost race leaves it to be carried
/// forward, and the sweep publishes what stayed past the grace period.
/// </summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private const string Bulk = "POST /_bulk?refresh=false";

    private readonly RecordingPublisher _publisher = new();
    private readonly FakeTimeProvider _clock = new(StoreHarness.Now);
    private readonly StoreHarness _harness;

    public OutboxTests() => _harness = new(services: s =>
    {
        s.AddSingleton<IEventPublisher>(_publisher);
        s.AddSingleton<TimeProvider>(_clock);
    });

    private EsServer Es => _harness.Es;

    public Task InitializeAsync() => _harness.StartAsync();

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task A_write_carries_its_event_in_the_job_then_publishes_it_then_clears_it_over_the_version_it_wrote()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"), seqNo: 7)));
        BulkAnswers.NoEventsKnown(Es);
        AcceptEveryBulk();

        var results = await _harness.Jobs.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Applied, Assert.Single(results).Outcome);
        var bulks = Es.Requests.Where(r => r.Line == Bulk).ToList();
        Assert.Equal(3, bulks.Count); // the job, its history events, the clear
        var written = JsonNode.Parse(Lines(bulks[0])[1])!;
        Assert.Equal("""{"last":1,"events":[{"n":1,"type":"status","time":"2026-11-22T10:00:00Z"}]}""", written["outbox"]!.ToJsonString());
        Assert.Equal("2026-11-22T10:00:00Z", (string)written["outbox-since"]!);

        var e = Assert.Single(_publisher.Published);
        Assert.Equal(("j1:1", 1L, JobEventTypes.Status, "j1", JobStatus.Running), (e.Id, e.Sequence, e.Type, e.JobId, e.Job.Status));
        Assert.Empty(e.Job.Inputs);
        Assert.Null(e.Job.TokenSha256);

        var clear = Lines(bulks[2]);
        Assert.Equal("""{"index":{"_index":"jobs","_id":"j1","if_seq_no":8,"if_primary_term":1}}""", clear[0]);
        var cleared = JsonNode.Parse(clear[1])!.AsObject();
        Assert.Equal("""{"last":1,"events":[]}""", cleared["outbox"]!.ToJsonString());
        Assert.False(cleared.ContainsKey("outbox-since"));
        Assert.Equal("running", (string)cleared["status"]!);
        Assert.Equal(written["pending-events"]!.ToJsonString(), cleared["pending-events"]!.ToJsonString());
    }

    [Fact]
    public async Task When_publishing_fails_the_events_stay_and_the_next_write_carries_them_forward_and_publishes_them_in_order()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"), seqNo: 7)));
        BulkAnswers.NoEventsKnown(Es);
        AcceptEveryBulk();
        _publisher.Fail = true;

        await _harness.Jobs.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(2, Es.Requests.Count(r => r.Line == Bulk)); // no clear
        var first = Lines(Es.Requests.Last(r => r.Line == Bulk && r.Body!.Contains("\"_index\":\"jobs\"", StringComparison.Ordinal)))[1];
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(EsAnswers.Found("jobs-000001", "j1", first, seqNo: 8).Trim()), priority: 1);
        Es.ClearLog();
        _publisher.Fail = false;
        _clock.Advance(TimeSpan.FromMinutes(1));

        await _harness.Jobs.ApplyAsync([TestJobs.Update("u2", "j1", JobStatus.Succeeded, minute: 5)], CancellationToken.None);

        var bulks = Es.Requests.Where(r => r.Line == Bulk).ToList();
        var written = JsonNode.Parse(Lines(bulks[0])[1])!;
        var events = written["outbox"]!["events"]!.AsArray();
        Assert.Equal([1L, 2L], events.Select(e => (long)e!["n"]!));
        Assert.Equal("running", (string)events[0]!["job"]!["status"]!); // the older event keeps the job as its change left it
        Assert.Null(events[1]!["job"]);
        Assert.Equal("2026-11-22T10:00:00Z", (string)written["outbox-since"]!);
        Assert.Equal(
            [("j1:1", JobStatus.Running, StoreHarness.Now), ("j1:2", JobStatus.Succeeded, StoreHarness.Now.AddMinutes(1))],
            _publisher.Published.Select(e => (e.Id, e.Job.Status, e.Time)));
        Assert.Equal("""{"index":{"_index":"jobs","_id":"j1","if_seq_no":8,"if_primary_term":1}}""", Lines(bulks[2])[0]);
        Assert.Equal("""{"last":2,"events":[]}""", JsonNode.Parse(Lines(bulks[2])[1])!["outbox"]!.ToJsonString());
    }

    [Fact]
    public async Task A_clear_that_loses_a_race_leaves_the_events_and_the_write_still_succeeds()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"), seqNo: 7)));
        BulkAnswers.NoEventsKnown(Es);
        Es.OnSequence("POST", "/_bulk",
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "jobs-000001", "j1"))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "job-events-000001", "j1/e/u1"))),
            (200, BulkAnswers.Bulk(BulkAnswers.Conflict("j1"))));

        var results = await _harness.Jobs.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Applied, Assert.Single(results).Outcome);
        Assert.Equal(3, Es.Requests.Count(r => r.Line == Bulk));
        Assert.Equal(["j1:1"], _publisher.Published.Select(e => e.Id));
    }

    [Fact]
    public async Task A_created_job_carries_its_created_event_which_is_published_and_cleared()
    {
        var job = TestJobs.Job("j1");
        Es.On("PUT", "/jobs/_doc/j1", 201, EsAnswers.Created("jobs-000001", "j1", seqNo: 4));
        AcceptEveryBulk();

        Assert.True(await _harness.Jobs.CreateAsync(job, CancellationToken.None));

        var created = JsonNode.Parse(Es.Requests.Single(r => r.Method == "PUT").Body!)!;
        Assert.Equal("""{"last":1,"events":[{"n":1,"type":"created","time":"2026-11-22T10:00:00Z"}]}""", created["outbox"]!.ToJsonString());
        var e = Assert.Single(_publisher.Published);
        Assert.Equal(("j1:1", JobEventTypes.Created), (e.Id, e.Type));
        var clear = Lines(Es.Requests.Single(r => r.Line == Bulk));
        Assert.Equal("""{"index":{"_index":"jobs","_id":"j1","if_seq_no":4,"if_primary_term":1}}""", clear[0]);
        Assert.Equal("""{"last":1,"events":[]}""", JsonNode.Parse(clear[1])!["outbox"]!.ToJsonString());
    }

    [Fact]
    public async Task The_sweep_publishes_what_stayed_unpublished_past_the_grace_period_and_clears_it()
    {
        var job = TestJobs.Job("j1");
        var left = new JobOutbox.State(3, [new JobOutbox.Entry(3, JobEventTypes.Progress, StoreHarness.Now, null)]);
        Es.On("POST", "/jobs/_search", 200, """{"took":1,"timed_out":false,"hits":{"hits":[{"_index":"jobs-000001","_id":"j1","_score":null,"sort":[1795341600000]}]}}""");
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(EsAnswers.Found("jobs-000001", "j1", Encoding.UTF8.GetString(UpdateBatch.JobSource(job, [], left)), seqNo: 12).Trim()));
        AcceptEveryBulk();
        _clock.Advance(TimeSpan.FromMinutes(5));

        var published = await _harness.Services.GetRequiredService<IOutboxSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, published);
        var search = JsonNode.Parse(Es.Requests.Single(r => r.Line == "POST /jobs/_search").Body!)!;
        Assert.Equal(UtcTimestampJsonConverter.ToText(_clock.GetUtcNow() - TimeSpan.FromSeconds(30)), (string)search["query"]!["range"]!["outbox-since"]!["lte"]!);
        Assert.Equal("asc", (string)search["sort"]![0]!["outbox-since"]!);
        Assert.Equal(["j1:3"], _publisher.Published.Select(e => e.Id));
        var clear = Lines(Es.Requests.Single(r => r.Line == Bulk));
        Assert.Equal("""{"index":{"_index":"jobs","_id":"j1","if_seq_no":12,"if_primary_term":1}}""", clear[0]);
        Assert.Equal("""{"last":3,"events":[]}""", JsonNode.Parse(clear[1])!["outbox"]!.ToJsonString());
    }

    [Fact]
    public async Task Without_a_publisher_no_event_is_added_but_one_already_there_is_carried_forward()
    {
        await using var plain = new StoreHarness();
        await plain.StartAsync();
        var job = TestJobs.Job("j1");
        var left = new JobOutbox.State(1, [new JobOutbox.Entry(1, JobEventTypes.Created, StoreHarness.Now, null)]);
        plain.Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(EsAnswers.Found("jobs-000001", "j1", Encoding.UTF8.GetString(UpdateBatch.JobSource(job, [], left))).Trim()));
        BulkAnswers.NoEventsKnown(plain.Es);
        plain.Es.On("POST", "/_bulk", request => (200, BulkAnswers.AcceptAll(request.Body!)));

        await plain.Jobs.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        var bulks = plain.Es.Requests.Where(r => r.Line == Bulk).ToList();
        Assert.Equal(2, bulks.Count);
        var outbox = JsonNode.Parse(Lines(bulks[0])[1])!["outbox"]!;
        Assert.Equal(1, (long)outbox["last"]!);
        var carried = Assert.Single(outbox["events"]!.AsArray())!;
        Assert.Equal("submitted", (string)carried["job"]!["status"]!);
    }

    private void AcceptEveryBulk() => Es.On("POST", "/_bulk", request => (200, BulkAnswers.AcceptAll(request.Body!)));

    private static string[] Lines(RecordedRequest request) => request.Body!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
