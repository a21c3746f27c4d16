using Jobs.Core.Jobs;
using Jobs.Core.Updates;
using Jobs.UpdatesFunction.Consumer;
using static Jobs.Functions.Tests.TestMessages;

namespace Jobs.Functions.Tests.Consumer;

/// <summary>The Unity SDS legacy message (docs/architecture.md, "The update message") through the consumer core.</summary>
public sealed class LegacyMessageTests : IDisposable
{
    private const string UnityJob = "a9f1d6c2-5e3b-4f7a-8c9d-0e1f2a3b4c5d";
    private static readonly DateTimeOffset SubmittedAt = DateTimeOffset.Parse("2023-08-08T17:21:40.515Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly ConsumerHarness _h = new(acceptLegacy: true);

    public LegacyMessageTests() => _h.Time.Now = SubmittedAt.AddSeconds(30);

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_legacy_message_is_refused_for_good_unless_AcceptLegacy_is_set()
    {
        using var strict = new ConsumerHarness(acceptLegacy: false);

        var outcome = await strict.RunAsync(Queued(Fixture("legacy-ades-submitted.sns.json"), "m1"));

        var m = Assert.Single(outcome.Messages);
        Assert.Equal(MessageDisposition.Permanent, m.Disposition);
        Assert.Contains("Jobs__Updates__AcceptLegacy=true", m.Reason);
        Assert.Equal(UnityJob, m.JobId);
        Assert.Empty(strict.Store.Calls);
    }

    [Fact]
    public async Task A_legacy_submitted_for_an_unknown_id_creates_the_job()
    {
        var outcome = await _h.RunAsync(Queued(Fixture("legacy-ades-submitted.sns.json"), "m1"));

        Assert.Equal(MessageDisposition.Done, Assert.Single(outcome.Messages).Disposition);
        var job = _h.Store.Get(UnityJob)!;
        Assert.Equal(JobStatus.Submitted, job.Status);
        Assert.Equal("unknown", job.ProcessId);
        Assert.Equal(SubmittedAt, job.Created);
        Assert.Null(job.TokenSha256);
        Assert.Equal("SNDR_SNPP_ATMS_L1A___1", job.Inputs["input_collection_id"].GetString());
        Assert.Equal(["re-processing-3", "release23.3", "08-08-23"], job.Labels);
        var update = _h.Store.History(UnityJob).Single(e => e.Id == "3f2a9c1e-6b7d-5e8f-a0b1-c2d3e4f5a6b7");
        Assert.Equal(EventSources.Legacy, update.Source);
    }

    [Fact]
    public async Task The_publish_job_steps_of_a_Unity_workflow_move_the_job_and_record_its_outputs()
    {
        await _h.RunAsync(Queued(Fixture("legacy-ades-submitted.sns.json")));

        // SNS FIFO delivers in order, but the merge does not depend on it: the end arrives first here.
        var outcome = await _h.RunAsync(
            Queued(Fixture("legacy-publish-job-succeeded.sns.json"), "m3"),
            Queued(Fixture("legacy-publish-job-running.sns.json"), "m2"));

        Assert.Empty(outcome.FailedMessageIds);
        var job = _h.Store.Get(UnityJob)!;
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(DateTimeOffset.Parse("2023-08-08T17:22:05.104Z", System.Globalization.CultureInfo.InvariantCulture), job.StartTime);
        Assert.Equal(DateTimeOffset.Parse("2023-08-08T17:48:51.220Z", System.Globalization.CultureInfo.InvariantCulture), job.StopTime);
        Assert.Equal("s3://unity-sps-out/SNDR_SNPP_ATMS_L1B_OUTPUT___1/granule.nc", job.Outputs["output"].GetString());

        // Legacy updates are trusted: the job has no token and nothing was rejected.
        Assert.DoesNotContain(_h.Store.History(UnityJob), e => e.Outcome == EventOutcome.Rejected);
    }

    [Fact]
    public async Task A_redelivered_legacy_message_is_a_duplicate_by_its_SNS_message_id()
    {
        await _h.RunAsync(Queued(Fixture("legacy-ades-submitted.sns.json")), Queued(Fixture("legacy-publish-job-running.sns.json"), "m1"));

        var outcome = await _h.RunAsync(Queued(Fixture("legacy-publish-job-running.sns.json"), "m1-again"));

        Assert.Equal(UpdateOutcomeKind.Duplicate, Assert.Single(outcome.Messages).Outcome);
    }

    [Fact]
    public async Task A_raw_legacy_body_takes_its_id_and_time_from_the_SQS_message()
    {
        _h.Store.Add(Job(UnityJob));
        var sent = T0.AddMinutes(3);

        await _h.RunAsync(Queued("""{"id":"a9f1d6c2-5e3b-4f7a-8c9d-0e1f2a3b4c5d","status":"running","labels":["campaign-4"]}""", "sqs-msg-7", sent));

        var job = _h.Store.Get(UnityJob)!;
        var e = _h.Store.History(UnityJob).Single(x => x.Id == "sqs-msg-7");
        Assert.Equal(sent, e.Time);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Contains("campaign-4", job.Labels);
    }

    [Fact]
    public async Task A_legacy_status_that_is_no_job_status_changes_nothing_but_is_stored()
    {
        _h.Store.Add(Job(UnityJob));

        var outcome = await _h.RunAsync(Queued("""{"id":"a9f1d6c2-5e3b-4f7a-8c9d-0e1f2a3b4c5d","status":"unknown","inputs":"none"}""", "m1"));

        Assert.Equal(MessageDisposition.Done, Assert.Single(outcome.Messages).Disposition);
        Assert.Equal(JobStatus.Submitted, _h.Store.Get(UnityJob)!.Status);
    }

    [Fact]
    public async Task A_legacy_submitted_names_its_process_when_the_message_does()
    {
        await _h.RunAsync(Queued("""{"id":"job-7","status":"submitted","process_id":"l1b-cwl","inputs":[{"id":"x","data":"v"}]}""", "m1"));

        var job = _h.Store.Get("job-7")!;
        Assert.Equal("l1b-cwl", job.ProcessId);
        Assert.Equal("v", job.Inputs["x"].GetString());
    }

    [Fact]
    public async Task A_legacy_running_for_an_unknown_job_is_retried_while_its_creation_may_be_on_its_way()
    {
        var outcome = await _h.RunAsync(Queued(Fixture("legacy-publish-job-running.sns.json"), "m1"));

        var m = Assert.Single(outcome.Messages);
        Assert.Equal((MessageDisposition.Retry, UpdateOutcomeKind.JobNotFound), (m.Disposition, m.Outcome));
    }

    [Theory]
    [InlineData("""{"id":"job/with/slashes","status":"running"}""", "'id'")]
    [InlineData("""{"id":"job-1","labels":"not-an-array"}""", "labels")]
    [InlineData("""{"id":"job-1","labels":["ok",""]}""", "labels")]
    public async Task A_legacy_message_with_an_unusable_id_or_labels_is_permanent(string body, string reason)
    {
        var outcome = await _h.RunAsync(Queued(body, "m1"));

        var m = Assert.Single(outcome.Messages);
        Assert.Equal(MessageDisposition.Permanent, m.Disposition);
        Assert.Contains(reason, m.Reason);
    }
}
