using System.Net;
using System.Text.Json.Nodes;
using Jobs.Core.Notifications;

namespace Jobs.Notifications.Tests;

public sealed class SubscriptionsApiTests : IClassFixture<NotifyApiFactory>, IAsyncLifetime
{
    private const string Package = """
        {"processDescription":{"id":"hooked","version":"1","title":"t","inputs":{"x":{"schema":{"type":"string"}}},
         "outputs":{"output":{"schema":{"type":"string"}}}},"executionUnit":{"type":"application/cwl","href":"https://example.org/a.cwl"}}
        """;

    private readonly NotifyApiFactory _factory;
    private readonly HttpClient _client;
    private Receiver _receiver = null!;

    public SubscriptionsApiTests(NotifyApiFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    public async Task InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        await _client.PostAsync("/processes", new StringContent(Package, System.Text.Encoding.UTF8, "application/json"));
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<JsonNode> ExecuteAsync(string extra) =>
        await _factory.PostAsync(_client, "/processes/hooked:1/jobs", "{\"inputs\":{\"x\":\"v\"}," + extra + "}");

    private Task UpdateAsync(string jobId, string token, string fields, int second) =>
        _factory.PostAsync(_client, $"/jobs/{jobId}/updates",
            $$"""{"version":1,"id":"{{Guid.NewGuid()}}","job-id":"{{jobId}}","token":"{{token}}","time":"{{DateTimeOffset.UtcNow.AddSeconds(second):O}}",{{fields}}}""", 200);

    [Fact]
    public async Task Execute_notifications_deliver_signed_events_and_ogc_subscriber_callbacks()
    {
        var job = await ExecuteAsync($$"""
            "labels":["hooks"],
            "notifications":[{"url":"{{_receiver.Url}}/all?job=${JOB_ID}&s=${JOB_STATUS}&labels=${LABELS}&url=${JOB_URL}","event":"*","persistent":true},
                             {"url":"{{_receiver.Url}}/failed","event":"FAILED"}],
            "subscriber":{"successUri":"{{_receiver.Url}}/ogc-success","inProgressUri":"{{_receiver.Url}}/ogc-progress"}
            """);
        var jobId = job["jobID"]!.GetValue<string>();
        var token = job["updateToken"]!.GetValue<string>();
        var notifications = job["notifications"]!.AsArray();
        Assert.Equal(4, notifications.Count);
        var secret = notifications[0]!["secret"]!.GetValue<string>();

        await UpdateAsync(jobId, token, "\"status\":\"running\",\"progress\":10", 1);
        await UpdateAsync(jobId, token, "\"status\":\"succeeded\",\"outputs\":{\"output\":\"s3://b/o.nc\"}", 2);

        var got = await _receiver.WaitForAsync(5); // 3 events, the OGC progress (running) and success callbacks
        var all = got.Where(r => r.Path == "/all").ToList();
        Assert.Equal(["created", "status", "status"], all.Select(r => JsonNode.Parse(r.Text)!["type"]!.GetValue<string>()));
        Assert.Equal($"?job={jobId}&s=accepted&labels=hooks&url=http%3A%2F%2Fjobs.test%2Fjobs%2F{jobId}", all[0].Query);
        Assert.All(all, r => Assert.True(WebhookSignature.Verify(secret, r.Headers[WebhookSignature.Header], r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));
        var last = JsonNode.Parse(all[2].Text)!;
        Assert.Equal("successful", last["job"]!["status"]!.GetValue<string>());
        Assert.Equal(jobId, last["jobID"]!.GetValue<string>());
        Assert.Equal("s3://b/o.nc", JsonNode.Parse(got.Single(r => r.Path == "/ogc-success").Text)!["output"]!["href"]!.GetValue<string>());
        Assert.Equal("running", JsonNode.Parse(got.Single(r => r.Path == "/ogc-progress").Text)!["status"]!.GetValue<string>());
        Assert.DoesNotContain(got, r => r.Path == "/failed");
    }

    [Fact]
    public async Task Subscriptions_are_created_listed_deleted_and_show_their_deliveries()
    {
        var job = await ExecuteAsync("\"labels\":[\"crud\"]");
        var jobId = job["jobID"]!.GetValue<string>();
        var token = job["updateToken"]!.GetValue<string>();
        var created = await _factory.PostAsync(_client, "/subscriptions",
            "{\"url\":\"" + _receiver.Url + """/filtered","events":["RUNNING"],"filter":{"labels":["crud"],"query":{"term":{"process-id":"hooked"}}}}""");
        var id = created["id"]!.GetValue<string>();
        Assert.StartsWith("whsec_", created["secret"]!.GetValue<string>());
        var forJob = await _factory.PostAsync(_client, $"/jobs/{jobId}/subscriptions", $$"""{"url":"{{_receiver.Url}}/job","event":"PROGRESS"}""");

        await UpdateAsync(jobId, token, "\"status\":\"running\"", 1);
        await UpdateAsync(jobId, token, "\"progress\":40", 2);
        var got = await _receiver.WaitForAsync(2);
        Assert.Equal(["/filtered", "/job"], got.Select(r => r.Path).Order());

        var listed = JsonNode.Parse(await _client.GetStringAsync("/subscriptions"))!["subscriptions"]!.AsArray();
        Assert.Contains(listed, s => s!["id"]!.GetValue<string>() == id);
        Assert.All(listed, s => Assert.Null(s!["secret"]));
        Assert.Single(JsonNode.Parse(await _client.GetStringAsync($"/jobs/{jobId}/subscriptions"))!["subscriptions"]!.AsArray());

        JsonArray deliveries;
        do
        {
            deliveries = JsonNode.Parse(await _client.GetStringAsync($"/subscriptions/{id}/deliveries"))!["deliveries"]!.AsArray();
        }
        while (deliveries.Count == 0 || deliveries[0]!["state"]!.GetValue<string>() == "pending");
        Assert.Equal("delivered", deliveries[0]!["state"]!.GetValue<string>());
        Assert.Equal(200, deliveries[0]!["attempts"]![0]!["statusCode"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/jobs/{jobId}/subscriptions/{forJob["id"]}")).StatusCode);
    }

    [Theory]
    [InlineData("/subscriptions", """{"url":"ftp://x/y"}""", "url")]
    [InlineData("/subscriptions", """{"url":"https://x/${NOPE}"}""", "url")]
    [InlineData("/subscriptions", """{"url":"mailto:not-an-address"}""", "url")]
    [InlineData("/subscriptions", """{"url":"https://x/","event":"FINISHED"}""", "events")]
    [InlineData("/subscriptions", """{"url":"https://x/","filter":{"status":["done"]}}""", "filter.status")]
    [InlineData("/subscriptions", """{"url":"https://x/","filter":{"query":{"no_such_query":{}}}}""", "filter.query")]
    [InlineData("/subscriptions", """{"url":"https://x/","persistent":"yes"}""", "persistent")]
    [InlineData("/processes/hooked:1/jobs", """{"inputs":{"x":"v"},"notifications":[{"url":"https://x/","event":"NEVER"}]}""", "notifications[0].event")]
    [InlineData("/processes/hooked:1/jobs", """{"inputs":{"x":"v"},"notifications":{"url":"https://x/"}}""", "notifications")]
    public async Task Invalid_subscriptions_are_400_problems_naming_the_field(string path, string body, string field)
    {
        var problem = await _factory.PostAsync(_client, path, body, 400);

        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task An_unknown_subscription_or_job_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/subscriptions/sub-nope/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync($"/jobs/{Guid.CreateVersion7()}/subscriptions",
            new StringContent("""{"url":"https://x/"}""", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }
}
