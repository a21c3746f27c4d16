using System.Net;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests;

public class UpdatesTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<(string JobId, string Token)> NewJobAsync(params string[] labels)
    {
        // Deployed by the first test of the class; 409 for the others.
        await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("upd", "1")));
        return await _client.ExecuteAsync("upd:1", labels);
    }

    [Fact]
    public async Task Worker_updates_move_the_job_and_record_outputs_and_history()
    {
        var (jobId, token) = await NewJobAsync("campaign-3");
        var t0 = DateTimeOffset.UtcNow;

        var running = await _client.UpdateAsync(jobId, token, "\"status\":\"running\",\"stage\":\"stage-in\",\"progress\":10,\"message\":\"copying inputs\"", time: t0);
        var done = await _client.UpdateAsync(jobId, token, "\"status\":\"succeeded\",\"progress\":100,\"outputs\":{\"output\":\"s3://bucket/out/granule.nc\"},\"labels\":{\"add\":[\"done\"]}", time: t0.AddSeconds(30));

        Assert.Equal(HttpStatusCode.OK, running.StatusCode);
        Assert.Equal("applied", JsonNode.Parse(await done.Content.ReadAsStringAsync())!["outcome"]!.GetValue<string>());
        var job = await _client.GetJsonAsync($"/jobs/{jobId}");
        OgcSchemas.AssertValid("statusInfo", job);
        Assert.Equal("successful", job["status"]!.GetValue<string>());
        Assert.Equal(100, job["progress"]!.GetValue<int>());
        Assert.Equal("s3://bucket/out/granule.nc", job["outputs"]!["output"]!.GetValue<string>());
        Assert.Equal(["campaign-3", "done"], job["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.NotNull(job["started"]);
        Assert.NotNull(job["finished"]);
        Assert.Contains(job["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "http://www.opengis.net/def/rel/ogc/1.0/results");

        var history = await _client.GetJsonAsync($"/jobs/{jobId}/history");
        Assert.Equal(["submitted", "running", "succeeded"], history["events"]!.AsArray().Select(e => e!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task History_pages_oldest_first_through_next_links()
    {
        var (jobId, token) = await NewJobAsync();
        var t0 = DateTimeOffset.UtcNow;
        for (var i = 1; i <= 5; i++)
        {
            await _client.UpdateAsync(jobId, token, $"\"progress\":{i * 10}", $"p{i}", t0.AddSeconds(i));
        }

        var ids = new List<string>();
        var path = $"/jobs/{jobId}/history?limit=2";
        var pages = 0;
        while (path is not null)
        {
            var page = await _client.GetJsonAsync(path);
            pages++;
            ids.AddRange(page["events"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
            var next = page["links"]!.AsArray().FirstOrDefault(l => l!["rel"]!.GetValue<string>() == "next");
            path = next is null ? null : new Uri(next["href"]!.GetValue<string>()).PathAndQuery;
        }

        Assert.Equal([jobId, "p1", "p2", "p3", "p4", "p5"], ids);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=x")]
    [InlineData("next=not-a-cursor")]
    public async Task History_parameters_out_of_range_are_400(string query)
    {
        var (jobId, _) = await NewJobAsync();

        var (status, problem) = await _client.SendAsync(HttpMethod.Get, $"/jobs/{jobId}/history?{query}");

        Assert.Equal(400, status);
        Assert.NotNull(problem!["errors"]);
    }

    [Fact]
    public async Task A_known_update_id_or_the_job_id_with_a_wrong_token_is_403_not_duplicate()
    {
        var (jobId, token) = await NewJobAsync();
        await _client.UpdateAsync(jobId, token, "\"progress\":5", "known-id");

        var (known, _) = await _client.SendAsync(HttpMethod.Post, $"/jobs/{jobId}/updates", ApiCalls.UpdateBody(jobId, "not-the-token", "\"progress\":5", "known-id"));
        var (ofJob, _) = await _client.SendAsync(HttpMethod.Post, $"/jobs/{jobId}/updates", ApiCalls.UpdateBody(jobId, "not-the-token", "\"progress\":5", jobId));

        Assert.Equal(403, known);
        Assert.Equal(403, ofJob);
    }

    [Fact]
    public async Task Same_update_twice_is_reported_duplicate_and_applied_once()
    {
        var (jobId, token) = await NewJobAsync();
        var id = Guid.NewGuid().ToString();

        await _client.UpdateAsync(jobId, token, "\"progress\":5", id);
        var again = await _client.UpdateAsync(jobId, token, "\"progress\":5", id);

        Assert.Equal("duplicate", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["outcome"]!.GetValue<string>());
        Assert.Equal(2, (await _client.GetJsonAsync($"/jobs/{jobId}/history"))["events"]!.AsArray().Count);
    }

    [Fact]
    public async Task Bad_token_is_403_and_changes_nothing_but_the_history()
    {
        var (jobId, _) = await NewJobAsync();

        var (status, problem) = await _client.SendAsync(HttpMethod.Post, $"/jobs/{jobId}/updates", ApiCalls.UpdateBody(jobId, "not-the-token", "\"status\":\"running\""));

        Assert.Equal(403, status);
        Assert.Equal("urn:jobs:invalid-update-token", problem!["type"]!.GetValue<string>());
        var job = await _client.GetJsonAsync($"/jobs/{jobId}");
        Assert.Equal("accepted", job["status"]!.GetValue<string>());
        var events = (await _client.GetJsonAsync($"/jobs/{jobId}/history"))["events"]!.AsArray();
        Assert.Equal("rejected", events.Last()!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_for_an_unknown_job_is_404_no_such_job()
    {
        var jobId = Guid.CreateVersion7().ToString();

        var (status, problem) = await _client.SendAsync(HttpMethod.Post, $"/jobs/{jobId}/updates", ApiCalls.UpdateBody(jobId, "t", "\"status\":\"running\""));

        Assert.Equal(404, status);
        Assert.Equal("http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-job", problem!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"progress\":\"ten\"", "progress")]
    [InlineData("\"progress\":101", "progress")]
    [InlineData("\"status\":\"finished\"", "status")]
    [InlineData("\"labels\":[\"a\"]", "labels")]
    [InlineData("\"outputs\":\"s3://x\"", "outputs")]
    [InlineData("\"colour\":\"red\"", "colour")]
    public async Task Invalid_message_is_400_naming_the_field_and_changes_nothing(string fields, string field)
    {
        var (jobId, token) = await NewJobAsync();
        var before = (await _client.GetJsonAsync($"/jobs/{jobId}/history")).ToJsonString();

        var (status, problem) = await _client.SendAsync(HttpMethod.Post, $"/jobs/{jobId}/updates", ApiCalls.UpdateBody(jobId, token, fields));

        Assert.Equal(400, status);
        Assert.True(problem!["errors"]![field] is not null, problem.ToJsonString());
        Assert.Equal(before, (await _client.GetJsonAsync($"/jobs/{jobId}/history")).ToJsonString());
    }

    [Fact]
    public async Task Message_for_another_job_than_the_path_is_400()
    {
        var (jobId, token) = await NewJobAsync();
        var (otherId, _) = await NewJobAsync();

        var (status, problem) = await _client.SendAsync(HttpMethod.Post, $"/jobs/{otherId}/updates", ApiCalls.UpdateBody(jobId, token, "\"progress\":1"));

        Assert.Equal(400, status);
        Assert.NotNull(problem!["errors"]!["job-id"]);
    }

    [Fact]
    public async Task Oversized_message_is_413()
    {
        var (jobId, token) = await NewJobAsync();

        var (status, _) = await _client.SendAsync(HttpMethod.Post, $"/jobs/{jobId}/updates",
            ApiCalls.UpdateBody(jobId, token, $"\"message\":\"{new string('m', 256 * 1024)}\""));

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task Results_follow_the_job_status()
    {
        var (jobId, token) = await NewJobAsync();
        var (status, problem) = await _client.SendAsync(HttpMethod.Get, $"/jobs/{jobId}/results");
        Assert.Equal(404, status);
        Assert.Equal("http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/result-not-ready", problem!["type"]!.GetValue<string>());

        await _client.UpdateAsync(jobId, token, "\"status\":\"succeeded\",\"outputs\":{\"output\":\"s3://b/o.nc\"}");

        // The test process was executed with the OGC default response (raw) and outputs by reference: Link headers.
        var response = await _client.GetAsync($"/jobs/{jobId}/results");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("<s3://b/o.nc>", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_of_a_document_request_are_a_results_document()
    {
        await _client.DeployAsync("doc", "1");
        var created = JsonNode.Parse(await (await _client.PostAsync("/processes/doc:1/jobs",
            ApiCalls.Json("""{"inputs":{"x":"v"},"response":"document","outputs":{"output":{"transmissionMode":"reference"}}}"""))).Content.ReadAsStringAsync())!;
        var jobId = created["jobID"]!.GetValue<string>();
        await _client.UpdateAsync(jobId, created["updateToken"]!.GetValue<string>(), "\"status\":\"succeeded\",\"outputs\":{\"output\":\"s3://b/o.nc\"}");

        var results = await _client.GetJsonAsync($"/jobs/{jobId}/results");

        Assert.Equal("s3://b/o.nc", results["output"]!["href"]!.GetValue<string>());
    }

    [Fact]
    public async Task Results_of_a_failed_job_explain_the_failure()
    {
        var (jobId, token) = await NewJobAsync();
        await _client.UpdateAsync(jobId, token, "\"status\":\"failed\",\"error\":{\"type\":\"workflow-failed\",\"message\":\"step l1b exited 2\"}");

        var (status, problem) = await _client.SendAsync(HttpMethod.Get, $"/jobs/{jobId}/results");

        Assert.Equal(500, status);
        Assert.Equal("urn:jobs:job-failed", problem!["type"]!.GetValue<string>());
        Assert.Equal("workflow-failed", problem["error"]!["type"]!.GetValue<string>());
        Assert.Contains((await _client.GetJsonAsync($"/jobs/{jobId}"))["links"]!.AsArray(),
            l => l!["rel"]!.GetValue<string>() == "http://www.opengis.net/def/rel/ogc/1.0/exceptions");
    }

    [Fact]
    public async Task Dismiss_a_running_job_then_its_results_are_gone()
    {
        var (jobId, token) = await NewJobAsync();
        await _client.UpdateAsync(jobId, token, "\"status\":\"running\"", time: DateTimeOffset.UtcNow.AddSeconds(-5));

        var dismissed = await _client.SendAsync(HttpMethod.Delete, $"/jobs/{jobId}");

        Assert.Equal(200, dismissed.Status);
        OgcSchemas.AssertValid("statusInfo", dismissed.Body!);
        Assert.Equal("dismissed", dismissed.Body!["status"]!.GetValue<string>());
        Assert.Equal(410, (await _client.SendAsync(HttpMethod.Get, $"/jobs/{jobId}/results")).Status);
        Assert.Equal(200, (await _client.SendAsync(HttpMethod.Delete, $"/jobs/{jobId}")).Status);
    }

    [Fact]
    public async Task Dismissing_a_finished_job_is_409_and_keeps_it()
    {
        var (jobId, token) = await NewJobAsync();
        await _client.UpdateAsync(jobId, token, "\"status\":\"succeeded\"");

        var (status, problem) = await _client.SendAsync(HttpMethod.Delete, $"/jobs/{jobId}");

        Assert.Equal(409, status);
        Assert.Equal("urn:jobs:job-finished", problem!["type"]!.GetValue<string>());
        Assert.Equal("successful", (await _client.GetJsonAsync($"/jobs/{jobId}"))["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/jobs/{0}")]
    [InlineData("GET", "/jobs/{0}/results")]
    [InlineData("GET", "/jobs/{0}/history")]
    [InlineData("DELETE", "/jobs/{0}")]
    public async Task Unknown_job_is_404_no_such_job(string method, string path)
    {
        var (status, problem) = await _client.SendAsync(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "no-such-job-id"));

        Assert.Equal(404, status);
        OgcSchemas.AssertValid("exception", problem!);
        Assert.Equal("http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-job", problem!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ades_paths_alias_the_job_routes()
    {
        var (jobId, token) = await NewJobAsync();
        await _client.UpdateAsync(jobId, token, "\"status\":\"succeeded\",\"outputs\":{\"output\":\"s3://b/x\"}");

        var job = await _client.GetJsonAsync($"/processes/upd:1/jobs/{jobId}");
        var list = await _client.GetJsonAsync("/processes/upd:1/jobs?limit=100");
        var result = await _client.GetAsync($"/processes/upd:1/jobs/{jobId}/result");

        Assert.Equal(jobId, job["jobID"]!.GetValue<string>());
        Assert.Contains(list["jobs"]!.AsArray(), j => j!["jobID"]!.GetValue<string>() == jobId);
        Assert.Equal(HttpStatusCode.NoContent, result.StatusCode);
        Assert.Equal(404, (await _client.SendAsync(HttpMethod.Get, $"/processes/other:1/jobs/{jobId}")).Status);

        var (running, _) = await NewJobAsync();
        var dismissed = await _client.SendAsync(HttpMethod.Delete, $"/processes/upd:1/jobs/{running}");
        Assert.Equal(200, dismissed.Status);
        Assert.Equal("dismissed", dismissed.Body!["status"]!.GetValue<string>());
    }
}
