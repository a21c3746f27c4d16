using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Jobs.Core.Dispatch;
using Jobs.Core.Jobs;
using Jobs.Core.Notifications;
using Jobs.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Jobs.Dispatch.Tests.Remote;

/// <summary>
/// <c>Jobs:Dispatch:Mode=webhook</c> against a real HTTP receiver on loopback (WireMock.Net): the
/// POST carries the job, its working update token and the execution unit, signed with
/// <c>Jobs-Signature</c> (checked here by recomputing the HMAC); the job gets the dispatch
/// marker; a receiver that refuses for good fails the job with <c>dispatch-failed</c>.
/// </summary>
public sealed class WebhookDispatchTests : IDisposable
{
    private const string Secret = "webhook-secret-for-tests";

    private const string Package = """
        {"processDescription": {"id": "remote", "version": "2", "inputs": {"granule": {"schema": {"type": "string"}}}, "outputs": {}},
         "executionUnit": {"type": "application/cwl", "href": "https://example.org/remote.cwl"}}
        """;

    private readonly WireMockServer _receiver = WireMockServer.Start();

    public void Dispose() => _receiver.Stop();

    private DispatchApi Api(string waitBeforeAnswer = "00:00:00") => new(new Dictionary<string, string?>
    {
        ["Jobs:Dispatch:Mode"] = "webhook",
        ["Jobs:Dispatch:Url"] = _receiver.Url + "/start?queue=l1b",
        ["Jobs:Dispatch:Secret"] = Secret,
        ["Jobs:Dispatch:BaseDelay"] = "00:00:00.010",
        ["Jobs:Dispatch:WaitBeforeAnswer"] = waitBeforeAnswer,
    });

    [Theory]
    [InlineData("00:00:00", false)]
    [InlineData("00:00:10", true)]
    public async Task With_WaitBeforeAnswer_the_job_is_dispatched_before_the_execute_request_is_answered(string wait, bool dispatchedFirst)
    {
        // The receiver takes 300 ms to answer: a dispatch left to the background cannot be done yet.
        _receiver.Given(Request.Create().WithPath("/start").UsingPost()).RespondWith(Response.Create().WithStatusCode(202).WithDelay(300));
        using var api = Api(wait);
        await api.DeployAsync(Package);

        var jobId = (await api.ExecuteAsync("remote:2", new JsonObject { ["granule"] = "g" }))["jobID"]!.GetValue<string>();
        var stage = (await api.JobAsync(jobId))["stage"]?.GetValue<string>();

        Assert.Equal(dispatchedFirst, stage == DispatchUpdates.DispatchedStage);
        await api.WaitAsync(jobId, j => j["stage"]?.GetValue<string>() == DispatchUpdates.DispatchedStage);
        Assert.Single(_receiver.LogEntries);
    }

    [Fact]
    public async Task The_job_is_posted_signed_with_its_token_and_execution_unit_and_marked_dispatched()
    {
        _receiver.Given(Request.Create().WithPath("/start").UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        using var api = Api();
        await api.DeployAsync(Package);

        var created = await api.ExecuteAsync("remote:2", new JsonObject { ["granule"] = "s3://bucket/in/g1.nc" });
        var jobId = created["jobID"]!.GetValue<string>();
        var token = created["updateToken"]!.GetValue<string>();
        var job = await api.WaitAsync(jobId, j => j["stage"]?.GetValue<string>() == DispatchUpdates.DispatchedStage);

        var request = Assert.Single(_receiver.LogEntries).RequestMessage;
        string Header(string name) => request.Headers!.First(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.Single();
        var body = request.BodyAsBytes!;
        var signature = Header("Jobs-Signature");
        var t = signature.Split(',')[0]["t=".Length..];
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(t + "." + Encoding.UTF8.GetString(body))));
        Assert.Equal($"t={t},v1={expected}", signature);
        Assert.True(WebhookSignature.Verify(Secret, signature, body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.InRange(long.Parse(t, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.StartsWith("application/json", Header("Content-Type"));
        Assert.Equal($"dispatch-{jobId}", Header("Jobs-Event-Id"));
        Assert.Equal("l1b", request.Query!["queue"].Single());

        var payload = JsonNode.Parse(body)!;
        Assert.Equal("dispatch", payload["type"]!.GetValue<string>());
        Assert.Equal(jobId, payload["jobID"]!.GetValue<string>());
        Assert.Equal("remote", payload["processID"]!.GetValue<string>());
        Assert.Equal("2", payload["processVersion"]!.GetValue<string>());
        Assert.Equal("s3://bucket/in/g1.nc", payload["inputs"]!["granule"]!.GetValue<string>());
        Assert.Equal("https://example.org/remote.cwl", payload["executionUnit"]!["href"]!.GetValue<string>());
        Assert.Equal(api.Url, payload["apiUrl"]!.GetValue<string>());
        Assert.Equal(token, payload["updateToken"]!.GetValue<string>());
        Assert.Equal("accepted", job["status"]!.GetValue<string>());

        // The token in the payload is the job's: the backend's worker can report with it.
        var update = await api.Client.PostAsync($"/jobs/{jobId}/updates", DispatchApi.Json($$"""
            {"version": 1, "id": "w-1", "job-id": "{{jobId}}", "token": "{{payload["updateToken"]}}", "time": "{{DateTimeOffset.UtcNow:O}}", "status": "running"}
            """));
        Assert.True(update.IsSuccessStatusCode, await update.Content.ReadAsStringAsync());
        var marker = (await api.HistoryAsync(jobId)).Single(e => e!["source"]!.GetValue<string>() == "dispatch");
        Assert.Contains("/start", marker!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_receiver_that_refuses_for_good_fails_the_job_with_dispatch_failed_after_one_attempt()
    {
        _receiver.Given(Request.Create().WithPath("/start").UsingPost()).RespondWith(Response.Create().WithStatusCode(400));
        using var api = Api();
        await api.DeployAsync(Package);

        var jobId = (await api.ExecuteAsync("remote:2", new JsonObject { ["granule"] = "g" }))["jobID"]!.GetValue<string>();
        var job = await api.WaitAsync(jobId, DispatchApi.Status("failed"));

        Assert.Equal("dispatch-failed", job["error"]!["type"]!.GetValue<string>());
        Assert.Contains("answered 400", job["error"]!["message"]!.GetValue<string>());
        Assert.Single(_receiver.LogEntries);
    }

    [Fact]
    public async Task The_sweep_dispatches_a_stored_job_that_was_never_dispatched_once_and_leaves_others_alone()
    {
        _receiver.Given(Request.Create().WithPath("/start").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        using var api = Api();
        await api.DeployAsync(Package);
        var store = api.Services.GetRequiredService<IJobStore>();
        var registry = api.Services.GetRequiredService<IProcessRegistry>();
        var tokens = api.Services.GetRequiredService<DerivedUpdateTokens>();
        var view = (await registry.GetAsync("remote", "2", CancellationToken.None))!.View();
        var execute = Core.Execution.ExecuteRequestReader.Read(System.Text.Json.JsonDocument.Parse("""{"inputs": {"granule": "g"}}""").RootElement).Value!;

        // What a crash between the create's answer and the dispatch leaves: a stored job, never sent.
        var stranded = Core.Execution.JobFactory.Create(view, execute, "anonymous", DateTimeOffset.UtcNow.AddMinutes(-5), tokens: tokens);
        Assert.True(await store.CreateAsync(stranded.Job, CancellationToken.None));
        // A job from before dispatch was turned on (random token): the sweep cannot give it a token.
        var older = Core.Execution.JobFactory.Create(view, execute, "anonymous", DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.True(await store.CreateAsync(older.Job, CancellationToken.None));

        var sweeper = api.Services.GetRequiredService<DispatchSweeper>();
        await sweeper.SweepAsync(CancellationToken.None);
        await api.WaitAsync(stranded.Job.Id, j => j["stage"]?.GetValue<string>() == DispatchUpdates.DispatchedStage);

        var sent = _receiver.LogEntries.Select(e => JsonNode.Parse(e.RequestMessage.BodyAsBytes!)!).ToList();
        var payload = Assert.Single(sent, p => p["jobID"]!.GetValue<string>() == stranded.Job.Id);
        Assert.Equal(stranded.UpdateToken, payload["updateToken"]!.GetValue<string>());
        Assert.DoesNotContain(sent, p => p["jobID"]!.GetValue<string>() == older.Job.Id);
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(JobStatus.Submitted, (await store.GetAsync(older.Job.Id, CancellationToken.None))!.Status);
    }
}
