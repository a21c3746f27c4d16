using System.Text;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Merging;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Jobs.Elasticsearch.Tests.Support;

namespace Jobs.Elasticsearch.Tests.Store;

public sealed class UpdateBatchTests : IAsyncLifetime
{
    private const string JobsBulk = "POST /_bulk?refresh=false";

    private readonly StoreHarness _harness = new(new Dictionary<string, string?> { ["MaxConflictRetries"] = "2" });

    private EsServer Es => _harness.Es;

    private IJobStore Store => _harness.Jobs;

    public Task InitializeAsync() => _harness.StartAsync();

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task A_batch_reads_jobs_and_update_ids_at_once_then_writes_the_jobs_conditionally_then_their_events()
    {
        var (j1, j2) = (TestJobs.Job("j1"), TestJobs.Job("j2"));
        JobUpdate[] updates = [TestJobs.Update("u1", "j1", minute: 1), TestJobs.Update("u2", "j2", minute: 2), TestJobs.Update("u3", "j1", JobStatus.Succeeded, minute: 5)];
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(j1, seqNo: 7), BulkAnswers.FoundDoc(j2, seqNo: 3)));
        NoEventsKnown();
        AcceptEveryBulk();

        var results = await Store.ApplyAsync(updates, CancellationToken.None);

        Assert.Equal([("u1", UpdateOutcomeKind.Applied), ("u2", UpdateOutcomeKind.Applied), ("u3", UpdateOutcomeKind.Applied)], results.Select(r => (r.UpdateId, r.Outcome)));
        Assert.Equal(["POST /job-events/_mget", "POST /jobs/_mget"], Es.Requests.Take(2).Select(r => r.Line).Order(StringComparer.Ordinal));
        Assert.Equal([JobsBulk, JobsBulk], Es.Requests.Skip(2).Select(r => r.Line));
        Assert.Equal("""{"ids":["j1","j2"]}""", Es.Requests.Single(r => r.Line == "POST /jobs/_mget").Body);
        Assert.Equal("""{"ids":["j1/e/u1","j1/e/u3","j2/e/u2"]}""", Es.Requests.Single(r => r.Line == "POST /job-events/_mget").Body);

        var jobLines = Lines(Es.Requests[2]);
        Assert.Equal("""{"index":{"_index":"jobs","_id":"j1","if_seq_no":7,"if_primary_term":1}}""", jobLines[0]);
        var written = JsonNode.Parse(jobLines[1])!;
        Assert.Equal("succeeded", (string)written["status"]!);
        Assert.Equal(["u1", "u3"], written["pending-events"]!.AsArray().Select(e => (string)e!["id"]!));
        Assert.Null(written["events"]);
        Assert.Equal("""{"index":{"_index":"jobs","_id":"j2","if_seq_no":3,"if_primary_term":1}}""", jobLines[2]);

        var eventLines = Lines(Es.Requests[3]);
        Assert.Equal(
            [
                """{"index":{"_index":"job-events","_id":"j1/e/u1"}}""",
                """{"index":{"_index":"job-events","_id":"j1/e/u3"}}""",
                """{"index":{"_index":"job-events","_id":"j2/e/u2"}}""",
            ],
            eventLines.Where((_, i) => i % 2 == 0));
        var u1 = JsonNode.Parse(eventLines[1])!;
        Assert.Equal("j1", (string)u1["job-id"]!);
        Assert.Equal("applied", (string)u1["outcome"]!);
        Assert.StartsWith("1", (string)u1["key"]!);
    }

    [Fact]
    public async Task A_job_changed_by_another_writer_is_read_merged_and_written_again_alone()
    {
        var (j1, j2) = (TestJobs.Job("j1"), TestJobs.Job("j2"));
        var j2Meanwhile = Merged(j2, TestJobs.Update("u9", "j2", minute: 3));
        Es.OnSequence("POST", "/jobs/_mget",
            (200, BulkAnswers.Mget(BulkAnswers.FoundDoc(j1, seqNo: 7), BulkAnswers.FoundDoc(j2, seqNo: 7))),
            (200, BulkAnswers.Mget(BulkAnswers.FoundDoc(j2Meanwhile, seqNo: 9))));
        NoEventsKnown();
        Es.OnSequence("POST", "/_bulk",
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "jobs-000001", "j1"), BulkAnswers.Conflict("j2"))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "job-events-000001", "j1/e/u1"))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "jobs-000001", "j2", seqNo: 10))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "job-events-000001", "j2/e/u2"))));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1"), TestJobs.Update("u2", "j2", JobStatus.Succeeded, minute: 7)], CancellationToken.None);

        Assert.All(results, r => Assert.Equal(UpdateOutcomeKind.Applied, r.Outcome));
        var jobReads = Es.Requests.Where(r => r.Line == "POST /jobs/_mget").ToList();
        Assert.Equal("""{"ids":["j2"]}""", jobReads[1].Body);
        var retried = Lines(Es.Requests.Where(r => r.Line == JobsBulk).ElementAt(2));
        Assert.Equal("""{"index":{"_index":"jobs","_id":"j2","if_seq_no":9,"if_primary_term":1}}""", Assert.Single(retried, l => l.StartsWith("{\"index\"", StringComparison.Ordinal)));
        Assert.Contains("\"u2\"", retried[1]); // the outbox: this write's event
        Assert.Contains("\"succeeded\"", retried[1]);
    }

    [Fact]
    public async Task A_job_item_refused_with_429_reports_that_jobs_updates_as_retry_and_the_others_as_applied()
    {
        var (j1, j2) = (TestJobs.Job("j1"), TestJobs.Job("j2"));
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(j1), BulkAnswers.FoundDoc(j2)));
        NoEventsKnown();
        Es.OnSequence("POST", "/_bulk",
            (200, BulkAnswers.Bulk(BulkAnswers.Rejected429("index", "jobs-000001", "j1"), BulkAnswers.Ok("index", "jobs-000001", "j2"))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "job-events-000001", "j2/e/u2"))));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1"), TestJobs.Update("u2", "j2")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Retry, results[0].Outcome);
        Assert.Contains("es_rejected_execution_exception", results[0].Reason);
        Assert.Equal(UpdateOutcomeKind.Applied, results[1].Outcome);
        Assert.DoesNotContain("j1/e/u1", Es.Requests.Last().Body);
    }

    [Fact]
    public async Task A_job_document_the_cluster_refuses_for_good_reports_its_updates_rejected_and_indexes_no_event()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        NoEventsKnown();
        Es.On("POST", "/_bulk", 200, BulkAnswers.Bulk(
            """{"index":{"_index":"jobs-000001","_id":"j1","status":400,"error":{"type":"document_parsing_exception","reason":"[1:2048] failed to parse field [inputs] of type [flattened] in document with id 'j1'"}}}"""));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Rejected, results[0].Outcome);
        Assert.Contains("document_parsing_exception", results[0].Reason);
        Assert.Single(Es.Requests, r => r.Line == JobsBulk);
    }

    [Fact]
    public async Task Updates_of_an_unknown_job_are_job_not_found_and_nothing_is_written()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.MissingDoc("nope")));
        NoEventsKnown();

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "nope"), TestJobs.Update("u2", "nope", minute: 2)], CancellationToken.None);

        Assert.All(results, r => Assert.Equal(UpdateOutcomeKind.JobNotFound, r.Outcome));
        Assert.DoesNotContain(Es.Requests, r => r.Line == JobsBulk);
    }

    [Fact]
    public async Task An_update_that_may_create_its_job_creates_it_with_a_create_action_and_its_creation_event()
    {
        var legacy = TestJobs.Job("legacy-1") with { TokenSha256 = null };
        var update = TestJobs.Update("sqs-msg-1", "legacy-1", JobStatus.Running) with { Trusted = true, CreateIfMissing = legacy };
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.MissingDoc("legacy-1")));
        NoEventsKnown();
        AcceptEveryBulk();

        var results = await Store.ApplyAsync([update], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Applied, results[0].Outcome);
        var bulks = Es.Requests.Where(r => r.Line == JobsBulk).ToList();
        Assert.Equal("""{"create":{"_index":"jobs","_id":"legacy-1"}}""", Lines(bulks[0])[0]);
        Assert.Equal("running", (string)JsonNode.Parse(Lines(bulks[0])[1])!["status"]!);
        Assert.Equal(["legacy-1/e/legacy-1", "legacy-1/e/sqs-msg-1"], Lines(bulks[1]).Where((_, i) => i % 2 == 0).Select(l => (string)JsonNode.Parse(l)!["index"]!["_id"]!));
    }

    [Fact]
    public async Task A_job_created_by_someone_else_meanwhile_is_read_again_and_updated_instead()
    {
        var legacy = TestJobs.Job("legacy-1") with { TokenSha256 = null };
        var update = TestJobs.Update("sqs-msg-1", "legacy-1", JobStatus.Running) with { Trusted = true, CreateIfMissing = legacy };
        Es.OnSequence("POST", "/jobs/_mget",
            (200, BulkAnswers.Mget(BulkAnswers.MissingDoc("legacy-1"))),
            (200, BulkAnswers.Mget(BulkAnswers.FoundDoc(legacy, seqNo: 0))));
        NoEventsKnown();
        Es.OnSequence("POST", "/_bulk",
            (200, BulkAnswers.Bulk(
                """{"create":{"_index":"jobs-000001","_id":"legacy-1","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[legacy-1]: version conflict, document already exists (current version [1])","index_uuid":"kQz4Hk0pT1m2","shard":"0","index":"jobs-000001"}}}""")),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "jobs-000001", "legacy-1"))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "job-events-000001", "legacy-1/e/sqs-msg-1"))));

        var results = await Store.ApplyAsync([update], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Applied, results[0].Outcome);
        Assert.StartsWith("""{"index":{"_index":"jobs","_id":"legacy-1","if_seq_no":0,"if_primary_term":1}}""", Es.Requests.Where(r => r.Line == JobsBulk).ElementAt(1).Body);
    }

    [Fact]
    public async Task A_found_job_without_its_version_is_a_store_outage_rather_than_a_blind_write()
    {
        Es.On("POST", "/jobs/_mget", 200, """{"docs":[{"_index":"jobs-000001","_id":"j1","found":true}]}""");
        NoEventsKnown();

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None));

        Assert.Contains("without its _source, _seq_no and _primary_term", e.Message);
        Assert.DoesNotContain(Es.Requests, r => r.Line == JobsBulk);
    }

    [Fact]
    public async Task An_update_id_found_in_job_events_is_a_duplicate_and_writes_nothing()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(Merged(TestJobs.Job("j1"), TestJobs.Update("u1", "j1")))));
        Es.On("POST", "/job-events/_mget", 200, BulkAnswers.Mget(EsAnswers.Found("job-events-000001", "j1/e/u1", """{"job-id":"j1","id":"u1"}""").Trim()));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Duplicate, results[0].Outcome);
        Assert.DoesNotContain(Es.Requests, r => r.Line == JobsBulk);
    }

    [Fact]
    public async Task An_update_id_still_in_the_jobs_outbox_is_a_duplicate_too()
    {
        var job = TestJobs.Job("j1");
        var merged = Merged(job, TestJobs.Update("u1", "j1"));
        var source = Encoding.UTF8.GetString(Jobs.Elasticsearch.Store.UpdateBatch.JobSource(merged, [new JobEvent { Id = "u1", Time = StoreHarness.Now, Status = JobStatus.Running }]));
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(EsAnswers.Found("jobs-000001", "j1", source).Trim()));
        NoEventsKnown();

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Duplicate, results[0].Outcome);
    }

    [Fact]
    public async Task A_wrong_token_is_rejected_even_for_a_known_update_id_and_recorded_without_its_payload()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        Es.On("POST", "/job-events/_mget", 200, BulkAnswers.Mget(EsAnswers.Found("job-events-000001", "j1/e/u1", """{"job-id":"j1","id":"u1"}""").Trim()));
        AcceptEveryBulk();

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1", token: "wrong")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Rejected, results[0].Outcome);
        var bulks = Es.Requests.Where(r => r.Line == JobsBulk).ToList();
        var job = JsonNode.Parse(Lines(bulks[0])[1])!;
        Assert.Equal("submitted", (string)job["status"]!);
        Assert.Equal(1, (int)job["merge"]!["rejected"]!);
        Assert.Contains(Lines(bulks[1]), l => l.Contains("\"j1/r/u1\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Conflicts_that_never_settle_end_as_retry_after_the_configured_number_of_rounds()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        NoEventsKnown();
        Es.On("POST", "/_bulk", 200, BulkAnswers.Bulk(BulkAnswers.Conflict("j1")));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Retry, results[0].Outcome);
        Assert.Equal(3, Es.Requests.Count(r => r.Line == JobsBulk)); // 1 + MaxConflictRetries (2) rounds
        Assert.Equal(3, Es.Requests.Count(r => r.Line == "POST /jobs/_mget"));
    }

    [Fact]
    public async Task An_event_the_cluster_could_not_take_this_time_is_sent_again_without_reading_the_job_again()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        NoEventsKnown();
        Es.OnSequence("POST", "/_bulk",
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "jobs-000001", "j1"))),
            (200, BulkAnswers.Bulk(BulkAnswers.Rejected429("index", "job-events-000001", "j1/e/u1"))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "job-events-000001", "j1/e/u1", 201))));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Applied, results[0].Outcome);
        Assert.Equal(3, Es.Requests.Count(r => r.Line == JobsBulk));
        Assert.Single(Es.Requests, r => r.Line == "POST /jobs/_mget");
        Assert.StartsWith("""{"index":{"_index":"job-events","_id":"j1/e/u1"}}""" + "\n{\"job-id\":\"j1\"", Es.Requests.Last().Body);
    }

    [Fact]
    public async Task An_update_older_than_the_jobs_newest_event_replays_the_events_read_after_a_refresh()
    {
        var job = Merged(TestJobs.Job("j1"), TestJobs.Update("u2", "j1", JobStatus.Running, minute: 20));
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(job)));
        NoEventsKnown();
        Es.On("POST", "/job-events/_refresh", 200, """{"_shards":{"total":2,"successful":1,"failed":0}}""");
        var creation = Encoding.UTF8.GetString(Jobs.Elasticsearch.Store.UpdateBatch.EventDocument("j1", JobMerger.CreationEvent(TestJobs.Job("j1"))));
        var u2 = new JobEvent { Id = "u2", Time = StoreHarness.Now.AddMinutes(-40), Status = JobStatus.Running, Source = EventSources.Queue };
        var u2Source = Encoding.UTF8.GetString(Jobs.Elasticsearch.Store.UpdateBatch.EventDocument("j1", u2));
        Es.On("POST", "/job-events/_search", 200, Hits((creation, "a"), (u2Source, "b")));
        AcceptEveryBulk();

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1", JobStatus.Failed, minute: 10)], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Applied, results[0].Outcome);
        Assert.Contains(Es.Requests, r => r.Line == "POST /job-events/_refresh");
        var search = JsonNode.Parse(Es.Requests.Single(r => r.Line == "POST /job-events/_search").Body!)!;
        Assert.Equal("j1", (string)search["query"]!["term"]!["job-id"]!);
        var written = JsonNode.Parse(Lines(Es.Requests.First(r => r.Line == JobsBulk))[1])!;
        Assert.Equal("failed", (string)written["status"]!);
        Assert.Null(written["start-time"]); // the running event at minute 20 came after the terminal one
        Assert.Contains(written["pending-events"]!.AsArray(), e => (string)e!["outcome"]! == "corrected" || (string)e!["id"]! == "u2");
    }

    [Fact]
    public async Task A_read_that_fails_after_the_retries_makes_the_whole_batch_a_store_outage()
    {
        Es.On("POST", "/jobs/_mget", 503, EsAnswers.ServiceUnavailable);
        NoEventsKnown();

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None));

        Assert.Contains("cluster_block_exception", e.Message);
        Assert.Equal(3, Es.Requests.Count(r => r.Line == "POST /jobs/_mget")); // first try + 2 retries
        Assert.DoesNotContain(Es.Requests, r => r.Line == JobsBulk);
    }

    [Fact]
    public async Task A_jobs_index_that_vanished_makes_the_batch_a_store_outage()
    {
        Es.On("POST", "/jobs/_mget", 404, EsAnswers.IndexNotFound("jobs"));
        NoEventsKnown();

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None));

        Assert.Contains("POST /jobs/_mget answered 404 (index_not_found_exception: no such index [jobs])", e.Message);
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(1000, 1000)]
    [InlineData(1000, 10)]
    public async Task A_batch_of_n_updates_costs_two_reads_at_once_and_two_bulks(int updates, int jobs)
    {
        StubEveryJobExistsOn(Es);
        var batch = Enumerable.Range(0, updates).Select(i => TestJobs.Update($"u{i}", $"j{i % jobs}", minute: 1 + (i / jobs % 50))).ToList();

        var results = await Store.ApplyAsync(batch, CancellationToken.None);

        Assert.All(results, r => Assert.True(r.IsDone, $"{r.UpdateId}: {r.Outcome} {r.Reason}"));
        Assert.Equal(batch.Select(u => u.Message.Id), results.Select(r => r.UpdateId));
        Assert.Equal(["POST /job-events/_mget", "POST /jobs/_mget"], Es.Requests.Take(2).Select(r => r.Line).Order(StringComparer.Ordinal));
        Assert.Equal([JobsBulk, JobsBulk], Es.Requests.Skip(2).Select(r => r.Line));
        Assert.Equal(jobs, BulkAnswers.IdsOf(Es.Requests.Single(r => r.Line == "POST /jobs/_mget").Body!).Count);
        Assert.Equal(updates, BulkAnswers.IdsOf(Es.Requests.Single(r => r.Line == "POST /job-events/_mget").Body!).Count);
    }

    [Fact]
    public async Task The_history_is_a_search_of_job_events_by_key_joined_with_the_jobs_outbox()
    {
        var job = TestJobs.Job("j1");
        var pending = new JobEvent { Id = "u9", Time = StoreHarness.Now, Status = JobStatus.Running, Source = EventSources.Queue };
        Es.On("GET", "/jobs/_doc/j1", 200, EsAnswers.Found("jobs-000001", "j1", Encoding.UTF8.GetString(Jobs.Elasticsearch.Store.UpdateBatch.JobSource(job, [pending]))));
        var creation = Encoding.UTF8.GetString(Jobs.Elasticsearch.Store.UpdateBatch.EventDocument("j1", JobMerger.CreationEvent(job)));
        Es.On("POST", "/job-events/_search", 200, Hits((creation, StoredEvents.SortKey(JobMerger.CreationEvent(job)))));

        var page = await Store.GetHistoryAsync("j1", null, 10, CancellationToken.None);

        Assert.Equal(["j1", "u9"], page.Events.Select(e => e.Id));
        Assert.Null(page.Next);
        var search = JsonNode.Parse(Es.Requests.Single(r => r.Line == "POST /job-events/_search").Body!)!;
        Assert.Equal(11, (int)search["size"]!);
        Assert.Equal("asc", (string)search["sort"]![0]!["key"]!);
    }

    private static string Hits(params (string Source, string Key)[] hits) =>
        "{\"took\":1,\"timed_out\":false,\"hits\":{\"hits\":["
        + string.Join(",", hits.Select(h => new JsonObject { ["_index"] = "job-events-000001", ["_source"] = JsonNode.Parse(h.Source), ["sort"] = new JsonArray(h.Key) }.ToJsonString()))
        + "]}}";

    private void NoEventsKnown() => BulkAnswers.NoEventsKnown(Es);

    private void AcceptEveryBulk() => Es.On("POST", "/_bulk", request => (200, BulkAnswers.AcceptAll(request.Body!)));

    private static void StubEveryJobExistsOn(EsServer es)
    {
        es.On("POST", "/jobs/_mget", request => (200, BulkAnswers.Mget([.. BulkAnswers.IdsOf(request.Body!).Select(id => BulkAnswers.FoundDoc(TestJobs.Job(id)))])));
        BulkAnswers.NoEventsKnown(es);
        es.On("POST", "/_bulk", request => (200, BulkAnswers.AcceptAll(request.Body!)));
    }

    /// <summary>The job after these updates, merged as a store would (no events known, none to replay).</summary>
    private static JobDocument Merged(JobDocument job, params JobUpdate[] updates) =>
        JobMerger.Apply(job, updates, StoreHarness.Now, new HashSet<string>()).Job;

    private static string[] Lines(RecordedRequest request) => request.Body!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
