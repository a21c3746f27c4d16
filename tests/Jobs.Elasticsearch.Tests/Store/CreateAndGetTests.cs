using System.Text;
using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Tests.Support;

namespace Jobs.Elasticsearch.Tests.Store;

public sealed class CreateAndGetTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new();

    private EsServer Es => _harness.Es;

    public Task InitializeAsync() => _harness.StartAsync();

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Create_puts_the_job_document_with_op_type_create_and_no_refresh()
    {
        var job = TestJobs.Job("0193a0c4-7e1f-7c4e-9b2a-5d6e7f809a1b");
        Es.On("PUT", $"/jobs/_doc/{job.Id}", 201, EsAnswers.Created("jobs-000001", job.Id));

        var created = await _harness.Jobs.CreateAsync(job, CancellationToken.None);

        Assert.True(created);
        var request = Assert.Single(Es.Requests);
        Assert.Equal($"PUT /jobs/_doc/{job.Id}?op_type=create&refresh=false", request.Line);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal(Encoding.UTF8.GetString(Jobs.Elasticsearch.Store.UpdateBatch.JobSource(job, [Core.Merging.JobMerger.CreationEvent(job)])), request.Body);
        Assert.Contains("\"pending-events\":[{\"id\":\"0193a0c4-7e1f-7c4e-9b2a-5d6e7f809a1b\"", request.Body);
        Assert.StartsWith("""{"id":"0193a0c4-7e1f-7c4e-9b2a-5d6e7f809a1b","process-id":"l1b-cwl","process-version":"develop","inputs":{"input_collection_id":"ATMS_L1A"},"user-id":"alice","created":"2026-11-22T09:00:00Z",""", request.Body);
    }

    [Fact]
    public async Task Create_of_an_id_that_holds_another_job_returns_false()
    {
        var job = TestJobs.Job("j1");
        var other = TestJobs.Job("j1", created: StoreHarness.Now.AddDays(-3));
        Es.On("PUT", "/jobs/_doc/j1", 409, EsAnswers.VersionConflictExists("j1"));
        Es.On("GET", "/jobs/_doc/j1", 200, EsAnswers.Found("jobs-000001", "j1", Encoding.UTF8.GetString(JobsJson.ToUtf8(other))));

        var created = await _harness.Jobs.CreateAsync(job, CancellationToken.None);

        Assert.False(created);
        Assert.Equal(["PUT /jobs/_doc/j1?op_type=create&refresh=false", "GET /jobs/_doc/j1"], Es.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task Create_whose_first_attempt_landed_before_its_answer_was_lost_returns_true()
    {
        var job = TestJobs.Job("j1");
        Es.OnSequence("PUT", "/jobs/_doc/j1", (504, """{"message":"Gateway timed out"}"""), (409, EsAnswers.VersionConflictExists("j1")));
        Es.On("GET", "/jobs/_doc/j1", 200, EsAnswers.Found("jobs-000001", "j1", Encoding.UTF8.GetString(Jobs.Elasticsearch.Store.UpdateBatch.JobSource(job, [Core.Merging.JobMerger.CreationEvent(job)]))));

        var created = await _harness.Jobs.CreateAsync(job, CancellationToken.None);

        Assert.True(created);
        Assert.Equal(
            ["PUT /jobs/_doc/j1?op_type=create&refresh=false", "PUT /jobs/_doc/j1?op_type=create&refresh=false", "GET /jobs/_doc/j1"],
            Es.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task Create_refused_for_lack_of_permission_is_a_store_outage_naming_the_error()
    {
        Es.On("PUT", "/jobs/_doc/j1", 403, """
            {"error":{"root_cause":[{"type":"security_exception","reason":"action [indices:data/write/index] is unauthorized for user [jobs-api] with effective roles [viewer] on indices [jobs-000001], this action is granted by the index privileges [create_doc,create,index,write,all]"}],"type":"security_exception","reason":"action [indices:data/write/index] is unauthorized for user [jobs-api] with effective roles [viewer] on indices [jobs-000001], this action is granted by the index privileges [create_doc,create,index,write,all]"},"status":403}
            """);

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => _harness.Jobs.CreateAsync(TestJobs.Job("j1"), CancellationToken.None));

        Assert.Contains("PUT /jobs/_doc/j1?op_type=create&refresh=false answered 403 (security_exception: action [indices:data/write/index] is unauthorized", e.Message);
        Assert.Single(Es.Requests);
    }

    [Fact]
    public async Task Get_reads_the_job_by_id_from_the_realtime_get()
    {
        var job = TestJobs.Job("j1");
        Es.On("GET", "/jobs/_doc/j1", 200, EsAnswers.Found("jobs-000001", "j1", Encoding.UTF8.GetString(JobsJson.ToUtf8(job))));

        var read = await _harness.Jobs.GetAsync("j1", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(JsonSerializer.Serialize(job, JobsJson.Options), JsonSerializer.Serialize(read, JobsJson.Options));
        Assert.Equal(["GET /jobs/_doc/j1"], Es.Requests.Select(r => r.Line));
        Assert.True(string.IsNullOrEmpty(Es.Requests[0].Body));
    }

    [Fact]
    public async Task Get_of_an_unknown_id_returns_null()
    {
        Es.On("GET", "/jobs/_doc/nope", 404, EsAnswers.NotFound("jobs-000001", "nope"));

        Assert.Null(await _harness.Jobs.GetAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task Get_escapes_the_id_so_that_it_stays_one_path_segment()
    {
        Es.On("GET", "/jobs/_doc/x?y#z", 404, EsAnswers.NotFound("jobs-000001", "x?y#z"));

        var job = await _harness.Jobs.GetAsync("x?y#z", CancellationToken.None);

        Assert.Null(job);
        var request = Es.Server.LogEntries.Single().RequestMessage;
        Assert.Equal("/jobs/_doc/x?y#z", request.AbsolutePath);
        Assert.True(string.IsNullOrEmpty(request.RawQuery));
    }

    [Fact]
    public async Task Get_when_the_jobs_index_is_gone_is_a_store_outage()
    {
        Es.On("GET", "/jobs/_doc/j1", 404, EsAnswers.IndexNotFound("jobs"));

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => _harness.Jobs.GetAsync("j1", CancellationToken.None));

        Assert.Contains("index_not_found_exception: no such index [jobs]", e.Message);
    }

    [Fact]
    public async Task A_job_with_every_field_survives_the_round_trip_through_the_index()
    {
        var job = TestJobs.Job("j1") with
        {
            Status = JobStatus.Failed,
            Error = new JobError("workflow-failed", "step l1b exited 2"),
            Outputs = new Dictionary<string, JsonElement> { ["output"] = JsonSerializer.SerializeToElement(new[] { "s3://b/1.nc", "s3://b/2.nc" }) },
            Request = JsonSerializer.SerializeToElement(new { mode = "async", response = "document" }),
        };
        Es.On("PUT", "/jobs/_doc/j1", 201, EsAnswers.Created("jobs-000001", "j1"));
        await _harness.Jobs.CreateAsync(job, CancellationToken.None);
        Es.On("GET", "/jobs/_doc/j1", 200, EsAnswers.Found("jobs-000001", "j1", Es.Requests[0].Body!));

        var read = await _harness.Jobs.GetAsync("j1", CancellationToken.None);

        Assert.Equal(JsonSerializer.Serialize(job, JobsJson.Options), JsonSerializer.Serialize(read, JobsJson.Options));
    }
}
