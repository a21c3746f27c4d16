using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Notifications;
using Microsoft.AspNetCore.Hosting;

namespace Jobs.Notifications.Tests;

/// <summary>The API host in its notifier role (the AWS notifier function), its background loops off: events come only as SQS batches.</summary>
public sealed class NotifierApiFactory : NotifyApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jobs:Notifications:Notifier", "true");
        builder.UseSetting("Jobs:Notifications:Enabled", "false");
    }
}

/// <summary>
/// <c>POST /notifier/events</c> end to end: an SQS event as the Lambda Web Adapter posts it, the
/// subscriptions matched, the deliveries sent by the real webhook sender to a real receiver on
/// loopback, through the SSRF guard and its allow list.
/// </summary>
public sealed class NotifierTests : IClassFixture<NotifierApiFactory>, IAsyncLifetime
{
    private const string Package = """
        {"processDescription":{"id":"notified","version":"1","title":"t","inputs":{"x":{"schema":{"type":"string"}}},
         "outputs":{"output":{"schema":{"type":"string"}}}},"executionUnit":{"type":"application/cwl","href":"https://example.org/a.cwl"}}
        """;

    private readonly NotifierApiFactory _factory;
    private readonly HttpClient _client;
    private Receiver _receiver = null!;

    public NotifierTests(NotifierApiFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    public async Task InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        await _client.PostAsync("/processes", new StringContent(Package, Encoding.UTF8, "application/json"));
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_queued_event_is_delivered_signed_once_even_when_the_queue_hands_it_over_twice()
    {
        var jobId = await NewJobAsync();
        var subscription = await _factory.PostAsync(_client, $"/jobs/{jobId}/subscriptions", $$"""{"url":"{{_receiver.Url}}/hook?e=${EVENT_ID}","event":"*","persistent":true}""");
        var secret = subscription["secret"]!.GetValue<string>();
        var message = Record("m1", Event(jobId, 2, JobStatus.Running));

        var answer = await PostEventAsync($$"""{"Records":[{{message}}]}""");

        Assert.Equal("""{"batchItemFailures":[]}""", answer);
        var got = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal($"{jobId}:2", got.Headers[WebhookSignature.EventIdHeader]);
        Assert.Equal($"?e={Uri.EscapeDataString($"{jobId}:2")}", got.Query);
        var body = JsonNode.Parse(got.Text)!;
        Assert.Equal(("status", "running", $"{jobId}:2"), (body["type"]!.GetValue<string>(), body["status"]!.GetValue<string>(), body["id"]!.GetValue<string>()));
        Assert.True(WebhookSignature.Verify(secret, got.Headers[WebhookSignature.Header], got.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));

        // SQS delivers at least once: the same event again makes no second delivery.
        Assert.Equal("""{"batchItemFailures":[]}""", await PostEventAsync($$"""{"Records":[{{Record("m2", Event(jobId, 2, JobStatus.Running))}}]}"""));
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task A_message_that_is_no_event_fails_with_every_message_after_it_so_the_order_holds()
    {
        var jobId = await NewJobAsync();
        await _factory.PostAsync(_client, $"/jobs/{jobId}/subscriptions", $$"""{"url":"{{_receiver.Url}}/hook","event":"*","persistent":true}""");

        var answer = await PostEventAsync($$"""{"Records":[{{Record("ok", Event(jobId, 1, JobStatus.Submitted, JobEventTypes.Created))}},{"messageId":"bad","body":"not json"},{{Record("after", Event(jobId, 2, JobStatus.Running))}}]}""");

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"bad"},{"itemIdentifier":"after"}]}""", answer);
        Assert.Equal(["created"], (await _receiver.WaitForAsync(1)).Select(r => JsonNode.Parse(r.Text)!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_refused_address_fails_the_delivery_at_once_and_a_failing_receiver_waits_for_a_retry_recorded_in_the_deliveries()
    {
        var jobId = await NewJobAsync();
        // 127.0.0.2 is loopback too, and not on the allow list (127.0.0.1 is).
        var refused = await _factory.PostAsync(_client, $"/jobs/{jobId}/subscriptions", """{"url":"http://127.0.0.2:9/hook","event":"*","persistent":true}""");
        var failing = await _factory.PostAsync(_client, $"/jobs/{jobId}/subscriptions", $$"""{"url":"{{_receiver.Url}}/busy","event":"*","persistent":true}""");
        _receiver.DefaultStatus = 503;

        await PostEventAsync($$"""{"Records":[{{Record("m1", Event(jobId, 1, JobStatus.Running))}}]}""");

        var refusedDelivery = await OnlyDeliveryAsync(refused["id"]!.GetValue<string>());
        Assert.Equal("failed", refusedDelivery["state"]!.GetValue<string>());
        var failingDelivery = await OnlyDeliveryAsync(failing["id"]!.GetValue<string>());
        Assert.Equal("pending", failingDelivery["state"]!.GetValue<string>());
        Assert.Equal(503, Assert.Single(failingDelivery["attempts"]!.AsArray())!["statusCode"]!.GetValue<int>());

        // The schedule's tick: nothing due yet (the retry waits at least 15 s), so nothing is sent.
        var tick = JsonNode.Parse(await PostEventAsync("""{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","time":"2026-11-22T10:00:00Z","resources":[],"detail":{}}"""))!;
        Assert.Equal(0, tick["sent"]!.GetValue<int>());
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task A_body_that_is_neither_an_SQS_nor_a_scheduled_event_is_a_400()
    {
        var response = await _client.PostAsync("/notifier/events", new StringContent("""{"hello":"world"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<string> NewJobAsync() =>
        (await _factory.PostAsync(_client, "/processes/notified:1/jobs", """{"inputs":{"x":"v"}}"""))["jobID"]!.GetValue<string>();

    private async Task<JsonNode> OnlyDeliveryAsync(string subscriptionId)
    {
        var list = JsonNode.Parse(await _client.GetStringAsync($"/subscriptions/{subscriptionId}/deliveries"))!;
        return Assert.Single(list["deliveries"]!.AsArray())!;
    }

    private async Task<string> PostEventAsync(string json)
    {
        var response = await _client.PostAsync("/notifier/events", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text;
    }

    private static OutboxEvent Event(string jobId, long n, JobStatus status, string type = JobEventTypes.Status) =>
        new(n, type, jobId, DateTimeOffset.UtcNow, new JobDocument { Id = jobId, ProcessId = "notified", ProcessVersion = "1", Created = DateTimeOffset.UtcNow.AddMinutes(-1), Status = status })
        {
            Id = $"{jobId}:{n}",
        };

    private static string Record(string messageId, OutboxEvent e) => new JsonObject
    {
        ["messageId"] = messageId,
        ["receiptHandle"] = "AQEB" + messageId,
        ["body"] = OutboxEventJson.ToJson(e),
        ["attributes"] = new JsonObject { ["MessageGroupId"] = e.JobId, ["MessageDeduplicationId"] = e.Id, ["ApproximateReceiveCount"] = "1" },
        ["eventSource"] = "aws:sqs",
        ["eventSourceARN"] = "arn:aws:sqs:eu-west-1:123456789012:jobs-events.fifo",
    }.ToJsonString();
}
