using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Jobs.Cli.Tests.Updates;

/// <summary>
/// <c>jobs update --api-url</c>: how each answer of <c>POST /jobs/{id}/updates</c> becomes an exit
/// code and one line on stderr (the API stood in for by WireMock.Net).
/// </summary>
public sealed class ApiResponseTests : IDisposable
{
    private const string JobId = "0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012";
    private readonly WireMockServer _api = WireMockServer.Start();

    public void Dispose() => _api.Stop();

    private Dictionary<string, string?> Environment() => new()
    {
        ["JOBS_JOB_ID"] = JobId,
        ["JOBS_UPDATE_TOKEN"] = "Zk9xWcJ3r0mQ2pLw8sT1vA",
        ["JOBS_API_URL"] = _api.Url,
    };

    private void Answer(int status, string body, string contentType = "application/problem+json") =>
        _api.Given(Request.Create().WithPath($"/jobs/{JobId}/updates").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body));

    [Fact]
    public async Task A_stored_update_exits_0_and_says_what_the_API_made_of_it()
    {
        Answer(200, """{"id":"u-1","job-id":"0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012","outcome":"applied"}""", "application/json");

        var result = await CliRun.RunAsync(Environment(), null, "update", "--status", "running", "--update-id", "u-1");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("update u-1 for job 0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012: stored by the API: applied", result.Out);
        var request = Assert.Single(_api.LogEntries).RequestMessage;
        Assert.Equal("application/json", request.Headers!["Content-Type"].Single());
        Assert.Contains("\"status\":\"running\"", request.Body);
    }

    [Fact]
    public async Task A_wrong_token_exits_65_at_once_and_says_which_token_to_pass()
    {
        Answer(403, """{"type":"about:blank","title":"Forbidden","status":403,"detail":"the update token does not match this job's token"}""");

        var result = await CliRun.RunAsync(Environment(), null, "update", "--status", "running");

        Assert.Equal(65, result.ExitCode);
        Assert.Single(_api.LogEntries);
        Assert.Contains("the update token does not match", result.Error);
        Assert.Contains("JOBS_UPDATE_TOKEN", result.Error);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task An_unknown_job_exits_65()
    {
        Answer(404, """{"type":"http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-job","title":"No such job","status":404}""");

        var result = await CliRun.RunAsync(Environment(), null, "update", "--status", "running");

        Assert.Equal(65, result.ExitCode);
        Assert.Contains("JOBS_JOB_ID", result.Error);
    }

    [Fact]
    public async Task A_message_the_API_finds_invalid_exits_65_naming_the_field()
    {
        Answer(400, """{"title":"One or more validation errors occurred.","status":400,"errors":{"labels.add":["labels must be non-empty strings of at most 256 characters"]}}""");

        var result = await CliRun.RunAsync(Environment(), null, "update", "--add-label", "x");

        Assert.Equal(65, result.ExitCode);
        Assert.Contains("labels.add: labels must be non-empty", result.Error);
    }

    [Fact]
    public async Task A_store_outage_is_retried_until_the_API_stores_the_update()
    {
        _api.Given(Request.Create().WithPath($"/jobs/{JobId}/updates").UsingPost()).InScenario("outage").WillSetStateTo("back")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("""{"title":"Store unavailable","status":503}"""));
        _api.Given(Request.Create().WithPath($"/jobs/{JobId}/updates").UsingPost()).InScenario("outage").WhenStateIs("back")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"outcome":"applied"}"""));

        var result = await CliRun.RunAsync(Environment(), null, "update", "--status", "running");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, _api.LogEntries.Count());
        Assert.Contains("attempt 1 of 5 failed (503", result.Error);
    }

    [Fact]
    public async Task Every_attempt_failing_for_a_passing_reason_exits_75()
    {
        Answer(503, """{"title":"Store unavailable","status":503}""");

        var result = await CliRun.RunAsync(Environment(), null, "update", "--status", "running", "--attempts", "4");

        Assert.Equal(75, result.ExitCode);
        Assert.Equal(4, _api.LogEntries.Count());
        Assert.Equal(3, result.Waits);
    }

    [Fact]
    public async Task No_destination_is_a_usage_error()
    {
        var environment = Environment();
        environment.Remove("JOBS_API_URL");

        var result = await CliRun.RunAsync(environment, null, "update", "--status", "running");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("no destination", result.Error);
    }

    [Fact]
    public async Task Two_destinations_from_the_environment_are_a_usage_error_but_an_option_chooses()
    {
        Answer(200, """{"outcome":"applied"}""", "application/json");
        var environment = Environment();
        environment["JOBS_TOPIC_ARN"] = "arn:aws:sns:us-west-2:123456789012:jobs";

        var ambiguous = await CliRun.RunAsync(environment, null, "update", "--status", "running");
        var chosen = await CliRun.RunAsync(environment, null, "update", "--status", "running", "--api-url", _api.Url!);

        Assert.Equal(64, ambiguous.ExitCode);
        Assert.Contains("JOBS_API_URL, JOBS_TOPIC_ARN", ambiguous.Error);
        Assert.Equal(0, chosen.ExitCode);
    }

    [Fact]
    public async Task A_missing_token_is_a_usage_error_before_anything_is_sent()
    {
        var environment = Environment();
        environment.Remove("JOBS_UPDATE_TOKEN");

        var result = await CliRun.RunAsync(environment, null, "update", "--status", "running");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("JOBS_UPDATE_TOKEN", result.Error);
        Assert.Empty(_api.LogEntries);
    }
}
