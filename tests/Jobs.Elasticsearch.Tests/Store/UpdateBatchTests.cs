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
    private readonly StoreHarness _harness = new(new Dictionary<string, string?> { ["MaxConflictRetries"] = "2" });

    private EsServer Es => _harness.Es;

    private IJobStore Store => _harness.Jobs;

    public Task InitializeAsync() => _harness.StartAsync();

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task A_batch_reads_its_jobs_in_one_mget_and_writes_jobs_and_events_in_one_conditional_bulk()
    {
        var (j1, j2) = (TestJobs.Job("j1"), TestJobs.Job("j2"));
        JobUpdate[] updates = [TestJobs.Update("u1", "j1", minute: 1), TestJobs.Update("u2", "j2", minute: 2), TestJobs.Update("u3", "j1", JobStatus.Succeeded, minute: 5)];
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(j1, seqNo: 7), BulkAnswers.FoundDoc(j2, seqNo: 3)));
        Es.On("POST", "/_bulk", 200, BulkAnswers.Bulk(
            BulkAnswers.Ok("index", "jobs-000001", "j1"), BulkAnswers.Ok("index", "job-events-000001", "u1", 201), BulkAnswers.Ok("index", "job-events-000001", "u3", 201),
            BulkAnswers.Ok("index", "jobs-000001", "j2"), BulkAnswers.Ok("index", "job-events-000001", "u2", 201)));

        var results = await Store.ApplyAsync(updates, CancellationToken.None);

        Assert.Equal([("u1", UpdateOutcomeKind.Applied), ("u2", UpdateOutcomeKind.Applied), ("u3", UpdateOutcomeKind.Applied)], results.Select(r => (r.UpdateId, r.Outcome)));
        Assert.Equal(["POST /jobs/_mget", "POST /_bulk?refresh=false"], Es.Requests.Select(r => r.Line));
        var (mget, bulk) = (Es.Requests[0], Es.Requests[1]);
        Assert.Equal("""{"ids":["j1","j2"]}""", mget.Body);
        Assert.Equal("application/json", mget.Header("Content-Type"));
        Assert.Equal("application/x-ndjson", bulk.Header("Content-Type"));
        var merged1 = JobMerger.Apply(j1, [updates[0], updates[2]], StoreHarness.Now).Job;
        var merged2 = JobMerger.Apply(j2, [updates[1]], StoreHarness.Now).Job;
        Assert.Equal(
            """{"index":{"_index":"jobs","_id":"j1","if_seq_no":7,"if_primary_term":1}}""" + "\n" + Json(merged1) + "\n"
            + """{"index":{"_index":"job-events","_id":"u1"}}""" + "\n"
            + """{"job-id":"j1","id":"u1","time":"2026-11-22T09:01:00Z","received":"2026-11-22T10:00:00Z","source":"queue","status":"running","outcome":"applied"}""" + "\n"
            + """{"index":{"_index":"job-events","_id":"u3"}}""" + "\n"
            + """{"job-id":"j1","id":"u3","time":"2026-11-22T09:05:00Z","received":"2026-11-22T10:00:00Z","source":"queue","status":"succeeded","outcome":"applied"}""" + "\n"
            + """{"index":{"_index":"jobs","_id":"j2","if_seq_no":3,"if_primary_term":1}}""" + "\n" + Json(merged2) + "\n"
            + """{"index":{"_index":"job-events","_id":"u2"}}""" + "\n"
            + """{"job-id":"j2","id":"u2","time":"2026-11-22T09:02:00Z","received":"2026-11-22T10:00:00Z","source":"queue","status":"running","outcome":"applied"}""" + "\n",
            bulk.Body);
        Assert.Contains("\"status\":\"succeeded\"", Json(merged1));
    }

    [Fact]
    public async Task A_job_changed_by_another_writer_is_read_merged_and_written_again_alone()
    {
        var (j1, j2) = (TestJobs.Job("j1"), TestJobs.Job("j2"));
        var j2Meanwhile = JobMerger.Apply(j2, [TestJobs.Update("u9", "j2", minute: 3)], StoreHarness.Now).Job;
        JobUpdate[] updates = [TestJobs.Update("u1", "j1"), TestJobs.Update("u2", "j2", JobStatus.Succeeded, minute: 7)];
        Es.OnSequence("POST", "/jobs/_mget",
            (200, BulkAnswers.Mget(BulkAnswers.FoundDoc(j1, seqNo: 7), BulkAnswers.FoundDoc(j2, seqNo: 7))),
            (200, BulkAnswers.Mget(BulkAnswers.FoundDoc(j2Meanwhile, seqNo: 9))));
        Es.OnSequence("POST", "/_bulk",
            (200, BulkAnswers.Bulk(
                BulkAnswers.Ok("index", "jobs-000001", "j1"), BulkAnswers.Ok("index", "job-events-000001", "u1", 201),
                BulkAnswers.Conflict("j2"), BulkAnswers.Ok("index", "job-events-000001", "u2", 201))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "jobs-000001", "j2", seqNo: 10), BulkAnswers.Ok("index", "job-events-000001", "u2"))));

        var results = await Store.ApplyAsync(updates, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(UpdateOutcomeKind.Applied, r.Outcome));
        Assert.Equal(["POST /jobs/_mget", "POST /_bulk?refresh=false", "POST /jobs/_mget", "POST /_bulk?refresh=false"], Es.Requests.Select(r => r.Line));
        Assert.Equal("""{"ids":["j2"]}""", Es.Requests[2].Body);
        var retried = Es.Requests[3].Body!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, retried.Length);
        Assert.Equal("""{"index":{"_index":"jobs","_id":"j2","if_seq_no":9,"if_primary_term":1}}""", retried[0]);
        Assert.Equal(Json(JobMerger.Apply(j2Meanwhile, [updates[1]], StoreHarness.Now).Job), retried[1]);
        Assert.Contains("\"u9\"", retried[1]);
        Assert.Equal("""{"index":{"_index":"job-events","_id":"u2"}}""", retried[2]);
    }

    [Fact]
    public async Task A_job_item_refused_with_429_reports_that_jobs_updates_as_retry_and_the_others_as_applied()
    {
        var (j1, j2) = (TestJobs.Job("j1"), TestJobs.Job("j2"));
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(j1), BulkAnswers.FoundDoc(j2)));
        Es.On("POST", "/_bulk", 200, BulkAnswers.Bulk(
            BulkAnswers.Rejected429("index", "jobs-000001", "j1"), BulkAnswers.Ok("index", "job-events-000001", "u1", 201),
            BulkAnswers.Ok("index", "jobs-000001", "j2"), BulkAnswers.Ok("index", "job-events-000001", "u2", 201)));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1"), TestJobs.Update("u2", "j2")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Retry, results[0].Outcome);
        Assert.Contains("es_rejected_execution_exception", results[0].Reason);
        Assert.Equal(UpdateOutcomeKind.Applied, results[1].Outcome);
        Assert.Equal(2, Es.Requests.Count);
    }

    [Fact]
    public async Task A_job_document_the_cluster_refuses_for_good_reports_its_updates_rejected_with_the_reason()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        Es.On("POST", "/_bulk", 200, BulkAnswers.Bulk(
            """{"index":{"_index":"jobs-000001","_id":"j1","status":400,"error":{"type":"document_parsing_exception","reason":"[1:2048] failed to parse field [inputs] of type [flattened] in document with id 'j1'"}}}""",
            BulkAnswers.Ok("index", "job-events-000001", "u1", 201)));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Rejected, results[0].Outcome);
        Assert.Contains("document_parsing_exception", results[0].Reason);
    }

    [Fact]
    public async Task Updates_of_an_unknown_job_are_job_not_found_and_nothing_is_written()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.MissingDoc("nope")));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "nope"), TestJobs.Update("u2", "nope", minute: 2)], CancellationToken.None);

        Assert.All(results, r => Assert.Equal(UpdateOutcomeKind.JobNotFound, r.Outcome));
        Assert.Equal(["POST /jobs/_mget"], Es.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task An_update_that_may_create_its_job_creates_it_with_a_create_action()
    {
        var legacy = TestJobs.Job("legacy-1") with { TokenSha256 = null };
        var update = TestJobs.Update("sqs-msg-1", "legacy-1", JobStatus.Running) with { Trusted = true, CreateIfMissing = legacy };
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.MissingDoc("legacy-1")));
        Es.On("POST", "/_bulk", 200, BulkAnswers.Bulk(BulkAnswers.Ok("create", "jobs-000001", "legacy-1", 201), BulkAnswers.Ok("index", "job-events-000001", "sqs-msg-1", 201)));

        var results = await Store.ApplyAsync([update], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Applied, results[0].Outcome);
        var lines = Es.Requests[1].Body!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("""{"create":{"_index":"jobs","_id":"legacy-1"}}""", lines[0]);
        Assert.Equal(Json(JobMerger.Apply(legacy, [update], StoreHarness.Now).Job), lines[1]);
    }

    [Fact]
    public async Task A_job_created_by_someone_else_meanwhile_is_read_again_and_updated_instead()
    {
        var legacy = TestJobs.Job("legacy-1") with { TokenSha256 = null };
        var update = TestJobs.Update("sqs-msg-1", "legacy-1", JobStatus.Running) with { Trusted = true, CreateIfMissing = legacy };
        Es.OnSequence("POST", "/jobs/_mget",
            (200, BulkAnswers.Mget(BulkAnswers.MissingDoc("legacy-1"))),
            (200, BulkAnswers.Mget(BulkAnswers.FoundDoc(legacy, seqNo: 0))));
        Es.OnSequence("POST", "/_bulk",
            (200, BulkAnswers.Bulk(
                """{"create":{"_index":"jobs-000001","_id":"legacy-1","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[legacy-1]: version conflict, document already exists (current version [1])","index_uuid":"kQz4Hk0pT1m2","shard":"0","index":"jobs-000001"}}}""",
                BulkAnswers.Ok("index", "job-events-000001", "sqs-msg-1", 201))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "jobs-000001", "legacy-1"), BulkAnswers.Ok("index", "job-events-000001", "sqs-msg-1"))));

        var results = await Store.ApplyAsync([update], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Applied, results[0].Outcome);
        Assert.StartsWith("""{"index":{"_index":"jobs","_id":"legacy-1","if_seq_no":0,"if_primary_term":1}}""", Es.Requests[3].Body);
    }

    [Fact]
    public async Task A_found_job_without_its_version_is_a_store_outage_rather_than_a_blind_write()
    {
        Es.On("POST", "/jobs/_mget", 200, """{"docs":[{"_index":"jobs-000001","_id":"j1","found":true}]}""");

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None));

        Assert.Contains("without its _source, _seq_no and _primary_term", e.Message);
        Assert.Single(Es.Requests);
    }

    [Fact]
    public async Task A_duplicate_update_id_is_reported_duplicate_and_writes_nothing()
    {
        var seen = JobMerger.Apply(TestJobs.Job("j1"), [TestJobs.Update("u1", "j1")], StoreHarness.Now.AddMinutes(-30)).Job;
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(seen)));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Duplicate, results[0].Outcome);
        Assert.Equal(["POST /jobs/_mget"], Es.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task An_update_with_a_wrong_token_is_recorded_in_the_history_and_reported_rejected()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        Es.On("POST", "/_bulk", 200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "jobs-000001", "j1"), BulkAnswers.Ok("index", "job-events-000001", "u1", 201)));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1", token: "wrong")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Rejected, results[0].Outcome);
        var lines = Es.Requests[1].Body!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("\"outcome\":\"rejected\"", lines[3]);
        Assert.Contains("\"status\":\"submitted\"", lines[1]);
    }

    [Fact]
    public async Task Conflicts_that_never_settle_end_as_retry_after_the_configured_number_of_rounds()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        Es.On("POST", "/_bulk", 200, BulkAnswers.Bulk(BulkAnswers.Conflict("j1"), BulkAnswers.Ok("index", "job-events-000001", "u1")));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Retry, results[0].Outcome);
        Assert.Equal(6, Es.Requests.Count); // 1 + MaxConflictRetries (2) rounds of _mget + _bulk
    }

    [Fact]
    public async Task An_event_the_cluster_could_not_take_this_time_is_sent_again_without_reading_the_job_again()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        Es.OnSequence("POST", "/_bulk",
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "jobs-000001", "j1"), BulkAnswers.Rejected429("index", "job-events-000001", "u1"))),
            (200, BulkAnswers.Bulk(BulkAnswers.Ok("index", "job-events-000001", "u1", 201))));

        var results = await Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.Equal(UpdateOutcomeKind.Applied, results[0].Outcome);
        Assert.Equal(["POST /jobs/_mget", "POST /_bulk?refresh=false", "POST /_bulk?refresh=false"], Es.Requests.Select(r => r.Line));
        Assert.StartsWith("""{"index":{"_index":"job-events","_id":"u1"}}""" + "\n{\"job-id\":\"j1\",\"id\":\"u1\"", Es.Requests[2].Body);
    }

    [Fact]
    public async Task A_read_that_fails_after_the_retries_makes_the_whole_batch_a_store_outage()
    {
        Es.On("POST", "/jobs/_mget", 503, EsAnswers.ServiceUnavailable);

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None));

        Assert.Contains("cluster_block_exception", e.Message);
        Assert.Equal(3, Es.Requests.Count); // first try + 2 retries
        Assert.DoesNotContain(Es.Requests, r => r.Line.StartsWith("POST /_bulk", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bulk_body_the_cluster_finds_too_large_is_an_outage_that_names_the_setting()
    {
        Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        Es.On("POST", "/_bulk", 413, """{"Message":"Request size exceeded 10485760 bytes"}""");

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None));

        Assert.Contains("lower Jobs__Elasticsearch__MaxBulkBytes", e.Message);
        Assert.Single(Es.Requests, r => r.Line == "POST /_bulk?refresh=false");
    }

    [Fact]
    public async Task A_jobs_index_that_vanished_makes_the_batch_a_store_outage()
    {
        Es.On("POST", "/jobs/_mget", 404, EsAnswers.IndexNotFound("jobs"));

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None));

        Assert.Contains("POST /jobs/_mget answered 404 (index_not_found_exception: no such index [jobs])", e.Message);
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(1000, 1000)]
    [InlineData(1000, 10)]
    public async Task A_batch_of_n_updates_costs_two_round_trips(int updates, int jobs)
    {
        StubEveryJobExists();
        var batch = Enumerable.Range(0, updates).Select(i => TestJobs.Update($"u{i}", $"j{i % jobs}", minute: 1 + (i / jobs % 50))).ToList();

        var results = await Store.ApplyAsync(batch, CancellationToken.None);

        Assert.All(results, r => Assert.True(r.IsDone, $"{r.UpdateId}: {r.Outcome} {r.Reason}"));
        Assert.Equal(batch.Select(u => u.Message.Id), results.Select(r => r.UpdateId));
        Assert.Equal(["POST /jobs/_mget", "POST /_bulk?refresh=false"], Es.Requests.Select(r => r.Line));
        Assert.Equal(jobs, BulkAnswers.IdsOf(Es.Requests[0].Body!).Count);
        Assert.Equal((jobs + updates) * 2, Es.Requests[1].Body!.Count(c => c == '\n'));
    }

    [Fact]
    public async Task A_batch_bigger_than_the_bulk_limit_is_split_into_bodies_in_order()
    {
        await using var harness = new StoreHarness(new Dictionary<string, string?> { ["MaxBulkBytes"] = "65536" });
        await harness.StartAsync();
        StubEveryJobExists(harness.Es);
        var batch = Enumerable.Range(0, 1000).Select(i => TestJobs.Update($"u{i}", $"j{i}")).ToList();

        var results = await harness.Jobs.ApplyAsync(batch, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(UpdateOutcomeKind.Applied, r.Outcome));
        var bulks = harness.Es.Requests.Skip(1).ToList();
        Assert.Equal("POST /jobs/_mget", harness.Es.Requests[0].Line);
        Assert.True(bulks.Count > 1, $"{bulks.Count} bulk bodies");
        Assert.All(bulks, b => Assert.True(Encoding.UTF8.GetByteCount(b.Body!) <= 65536, $"{Encoding.UTF8.GetByteCount(b.Body!)} bytes"));
        var jobIds = bulks.SelectMany(b => b.Body!.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Where(l => l.StartsWith("{\"index\":{\"_index\":\"jobs\"", StringComparison.Ordinal))
            .Select(l => (string)JsonNode.Parse(l)!["index"]!["_id"]!);
        Assert.Equal(batch.Select(u => u.Message.JobId), jobIds);
    }

    private void StubEveryJobExists(EsServer? es = null) => StubEveryJobExistsOn(es ?? Es);

    private static void StubEveryJobExistsOn(EsServer es)
    {
        es.On("POST", "/jobs/_mget", request => (200, BulkAnswers.Mget([.. BulkAnswers.IdsOf(request.Body!).Select(id => BulkAnswers.FoundDoc(TestJobs.Job(id)))])));
        es.On("POST", "/_bulk", request => (200, BulkAnswers.AcceptAll(request.Body!)));
    }

    private static string Json(JobDocument job) => Encoding.UTF8.GetString(JobsJson.ToUtf8(job));
}
