using Jobs.Core.Jobs;
using Jobs.Core.Updates;
using Jobs.UpdatesFunction.Consumer;
using static Jobs.Functions.Tests.TestMessages;

namespace Jobs.Functions.Tests.Consumer;

public sealed class UpdateBatchProcessorTests : IDisposable
{
    private const string JobA = "0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012";
    private const string JobB = "0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9013";
    private readonly ConsumerHarness _h = new();

    public UpdateBatchProcessorTests()
    {
        _h.Store.Add(Job(JobA));
        _h.Store.Add(Job(JobB));
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_raw_update_message_body_is_applied_and_reported_done()
    {
        var outcome = await _h.RunAsync(Queued(Json(Update(JobA, "u1", 10, JobStatus.Running, progress: 5)), "m1"));

        var m = Assert.Single(outcome.Messages);
        Assert.Equal(MessageDisposition.Done, m.Disposition);
        Assert.Equal(UpdateOutcomeKind.Applied, m.Outcome);
        Assert.Equal(("u1", JobA), (m.UpdateId, m.JobId));
        Assert.Empty(outcome.FailedMessageIds);
        Assert.Equal(JobStatus.Running, _h.Store.Get(JobA)!.Status);
        Assert.Equal(5, _h.Store.Get(JobA)!.Progress);
        Assert.Equal(1, _h.Counts["applied"]);
    }

    [Fact]
    public async Task An_update_inside_an_SNS_envelope_is_unwrapped_and_applied()
    {
        var body = SnsEnvelope(Json(Update(JobA, "u1", 10, JobStatus.Running, stage: "stage-in")));

        var outcome = await _h.RunAsync(Queued(body, "m1"));

        Assert.Equal(MessageDisposition.Done, Assert.Single(outcome.Messages).Disposition);
        Assert.Equal("stage-in", _h.Store.Get(JobA)!.Stage);
        Assert.Equal(EventSources.Queue, _h.Store.History(JobA).Single(e => e.Id == "u1").Source);
    }

    [Fact]
    public async Task A_whole_batch_is_applied_in_one_store_call()
    {
        await _h.RunAsync(
            Queued(Json(Update(JobA, "u1", 10, JobStatus.Running))),
            Queued(SnsEnvelope(Json(Update(JobB, "u2", 11, JobStatus.Running)))),
            Queued(Json(Update(JobA, "u3", 12, progress: 50))));

        Assert.Equal([3], _h.Store.Calls);
    }

    [Fact]
    public async Task A_redelivered_update_is_done_as_a_duplicate_and_changes_nothing()
    {
        var body = Json(Update(JobA, "u1", 10, JobStatus.Running, progress: 5));
        await _h.RunAsync(Queued(body, "m1"));
        var before = Canonical(_h.Store.Get(JobA)!);

        var outcome = await _h.RunAsync(Queued(body, "m2"), Queued(SnsEnvelope(body), "m3"));

        Assert.All(outcome.Messages, m => Assert.Equal((MessageDisposition.Done, UpdateOutcomeKind.Duplicate), (m.Disposition, m.Outcome)));
        Assert.Equal(before, Canonical(_h.Store.Get(JobA)!));
        Assert.Equal(2, _h.Counts["duplicate"]);
    }

    [Fact]
    public async Task Out_of_order_delivery_gives_the_document_of_in_order_delivery()
    {
        UpdateMessage[] updates =
        [
            Update(JobA, "u1", 10, JobStatus.Running, stage: "stage-in", progress: 0),
            Update(JobA, "u2", 20, stage: "process", progress: 40, labels: new LabelChanges(["reprocessing-3"], null)),
            Update(JobA, "u3", 30, stage: "stage-out", progress: 90, outputs: Outputs(("log", "s3://bucket/out/log.txt"))),
            Update(JobA, "u4", 40, JobStatus.Succeeded, progress: 100, outputs: Outputs(("output", "s3://bucket/out/granule.nc"))),
        ];
        foreach (var u in updates)
        {
            await _h.RunAsync(Queued(Json(u)));
        }

        var inOrder = Canonical(_h.Store.Get(JobA)!);

        using var other = new ConsumerHarness();
        other.Store.Add(Job(JobA));
        await other.RunAsync(Queued(Json(updates[3])), Queued(Json(updates[1])));
        await other.RunAsync(Queued(SnsEnvelope(Json(updates[2]))));
        await other.RunAsync(Queued(Json(updates[0])), Queued(Json(updates[3])));

        Assert.Equal(inOrder, Canonical(other.Store.Get(JobA)!));
        Assert.Equal(JobStatus.Succeeded, other.Store.Get(JobA)!.Status);
    }

    [Fact]
    public async Task A_poison_message_fails_alone_and_the_rest_of_the_batch_is_stored()
    {
        var outcome = await _h.RunAsync(
            Queued(Json(Update(JobA, "u1", 10, JobStatus.Running)), "m1"),
            Queued("{\"version\":1,\"id\":\"u2\",\"job-id\":\"" + JobA + "\",\"progress\":\"lots\"}", "m2"),
            Queued(Json(Update(JobB, "u3", 10, JobStatus.Running)), "m3"));

        Assert.Equal(["m2"], outcome.FailedMessageIds);
        var poison = outcome.Messages[1];
        Assert.Equal(MessageDisposition.Permanent, poison.Disposition);
        Assert.Contains("progress", poison.Reason);
        Assert.Contains("token", poison.Reason);
        Assert.Equal(JobA, poison.JobId);
        Assert.Equal(JobStatus.Running, _h.Store.Get(JobA)!.Status);
        Assert.Equal(JobStatus.Running, _h.Store.Get(JobB)!.Status);
        Assert.Equal((2, 1), (_h.Counts["applied"], _h.Counts["rejected"]));
    }

    [Fact]
    public async Task A_store_outage_fails_every_message_and_stores_nothing()
    {
        _h.Store.Unavailable = true;

        var outcome = await _h.RunAsync(
            Queued(Json(Update(JobA, "u1", 10, JobStatus.Running)), "m1"),
            Queued(SnsEnvelope(Json(Update(JobB, "u2", 10, JobStatus.Running))), "m2"),
            Queued("not json", "m3"));

        Assert.Equal(["m1", "m2", "m3"], outcome.FailedMessageIds);
        Assert.Equal([MessageDisposition.Retry, MessageDisposition.Retry, MessageDisposition.Permanent], outcome.Messages.Select(m => m.Disposition));
        Assert.Contains("store unavailable", outcome.Messages[0].Reason);
        Assert.All([JobA, JobB], id => Assert.Equal(JobStatus.Submitted, _h.Store.Get(id)!.Status));
        Assert.Equal(2, _h.Counts["retried"]);
        Assert.Equal(0, _h.Counts["applied"]);
    }

    [Fact]
    public async Task A_store_throttling_one_job_retries_only_its_updates()
    {
        _h.Store.Throttled.Add(JobB);

        var outcome = await _h.RunAsync(
            Queued(Json(Update(JobA, "u1", 10, JobStatus.Running)), "m1"),
            Queued(Json(Update(JobB, "u2", 10, JobStatus.Running)), "m2"));

        Assert.Equal(["m2"], outcome.FailedMessageIds);
        Assert.Equal(MessageDisposition.Retry, outcome.Messages[1].Disposition);
    }

    [Fact]
    public async Task A_body_over_256_KiB_is_a_permanent_failure()
    {
        var big = Update(JobA, "u1", 10) with { Message = new string('x', UpdateMessage.MaxBytes) };

        var outcome = await _h.RunAsync(Queued(Json(big), "m1"), Queued(SnsEnvelope(Json(big)), "m2"));

        Assert.All(outcome.Messages, m =>
        {
            Assert.Equal(MessageDisposition.Permanent, m.Disposition);
            Assert.Contains("256 KiB", m.Reason);
        });
        Assert.Empty(_h.Store.Calls);
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("[1,2,3]", "JSON object")]
    [InlineData("{\"Type\":\"Notification\",\"TopicArn\":\"arn:aws:sns:us-west-2:1:jobs\",\"MessageId\":\"x\",\"Message\":\"{oops\"}", "SNS message is not JSON")]
    [InlineData("{\"Type\":\"SubscriptionConfirmation\",\"TopicArn\":\"arn:aws:sns:us-west-2:1:jobs\"}", "SubscriptionConfirmation")]
    public async Task A_malformed_body_is_a_permanent_failure_with_the_reason(string body, string reason)
    {
        var outcome = await _h.RunAsync(Queued(body, "m1"));

        var m = Assert.Single(outcome.Messages);
        Assert.Equal(MessageDisposition.Permanent, m.Disposition);
        Assert.Contains(reason, m.Reason);
        Assert.Equal(1, _h.Counts["rejected"]);
    }

    [Fact]
    public async Task A_wrong_token_is_a_permanent_failure_recorded_in_the_history()
    {
        var outcome = await _h.RunAsync(Queued(Json(Update(JobA, "u1", 10, JobStatus.Running, token: "not-the-token")), "m1"));

        var m = Assert.Single(outcome.Messages);
        Assert.Equal((MessageDisposition.Permanent, UpdateOutcomeKind.Rejected), (m.Disposition, m.Outcome));
        Assert.Contains("token", m.Reason);
        Assert.Equal(JobStatus.Submitted, _h.Store.Get(JobA)!.Status);
        Assert.Equal(EventOutcome.Rejected, _h.Store.History(JobA).Single(e => e.Id == "u1").Outcome);
    }

    [Fact]
    public async Task An_update_for_an_unknown_job_is_retried_within_the_creation_window()
    {
        _h.Time.Now = T0.AddSeconds(10 + 60);

        var outcome = await _h.RunAsync(Queued(Json(Update("no-such-job", "u1", 10, JobStatus.Running)), "m1"));

        var m = Assert.Single(outcome.Messages);
        Assert.Equal((MessageDisposition.Retry, UpdateOutcomeKind.JobNotFound), (m.Disposition, m.Outcome));
        Assert.Equal(1, _h.Counts["retried"]);
    }

    [Fact]
    public async Task An_update_for_an_unknown_job_older_than_the_creation_window_is_permanent()
    {
        _h.Time.Now = T0.AddSeconds(10) + _h.Options.CreationWindow + TimeSpan.FromSeconds(1);

        var outcome = await _h.RunAsync(Queued(Json(Update("no-such-job", "u1", 10, JobStatus.Running)), "m1"));

        var m = Assert.Single(outcome.Messages);
        Assert.Equal((MessageDisposition.Permanent, UpdateOutcomeKind.JobNotFound), (m.Disposition, m.Outcome));
        Assert.Contains("creation window", m.Reason);
    }

    [Fact]
    public async Task On_a_FIFO_queue_the_first_failure_and_everything_after_it_are_reported()
    {
        var outcome = await _h.RunFifoAsync(
            Queued(Json(Update(JobA, "u1", 10, JobStatus.Running)), "m1"),
            Queued("{broken", "m2"),
            Queued(Json(Update(JobA, "u3", 20, progress: 50)), "m3"),
            Queued(Json(Update(JobB, "u4", 20, JobStatus.Running)), "m4"));

        Assert.Equal(["m2", "m3", "m4"], outcome.FailedMessageIds);
        Assert.Equal(MessageDisposition.Done, outcome.Messages[0].Disposition);
        Assert.Equal(MessageDisposition.Permanent, outcome.Messages[1].Disposition);
        Assert.Equal(MessageDisposition.Retry, outcome.Messages[2].Disposition);

        // Nothing after the unreadable message reached the store.
        Assert.Equal([1], _h.Store.Calls);
        Assert.Null(_h.Store.Get(JobA)!.Progress);
        Assert.Equal(JobStatus.Submitted, _h.Store.Get(JobB)!.Status);
    }

    [Fact]
    public async Task On_a_FIFO_queue_messages_stored_after_a_store_failure_are_still_reported_failed()
    {
        var outcome = await _h.RunFifoAsync(
            Queued(Json(Update("no-such-job", "u1", 10, JobStatus.Running)), "m1"),
            Queued(Json(Update(JobA, "u2", 10, JobStatus.Running)), "m2"));

        Assert.Equal(["m1", "m2"], outcome.FailedMessageIds);
        Assert.Equal(UpdateOutcomeKind.Applied, outcome.Messages[1].Outcome);
        Assert.Contains("FIFO", outcome.Messages[1].Reason);
    }

    [Fact]
    public async Task On_a_standard_queue_a_failure_does_not_hold_back_later_messages()
    {
        var outcome = await _h.RunAsync(
            Queued("{broken", "m1"),
            Queued(Json(Update(JobA, "u2", 10, JobStatus.Running)), "m2"));

        Assert.Equal(["m1"], outcome.FailedMessageIds);
    }
}
