using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using static Jobs.Functions.Tests.TestMessages;

namespace Jobs.Functions.Tests.Lambda;

/// <summary>
/// <c>POST /events</c>: what the Lambda Web Adapter sends for an SQS event, and the partial batch
/// response it turns into the function result.
/// </summary>
public sealed class EventsEndpointTests
{
    private const string JobA = "0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012";
    private const string Poison = "d9a8f0e1-3c2b-4a5d-9e8f-7a6b5c4d3e2f";
    private const string Succeeded = "2e1424d4-f796-459a-8184-9c92662be6da";

    [Fact]
    public async Task A_recorded_SQS_event_is_applied_and_only_the_poison_message_is_reported()
    {
        await using var host = await EventsHost.StartAsync();
        host.Store.Add(Job(JobA));

        var (status, contentType, body) = await PostAsync(host, Fixture("sqs-event.json"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        Assert.Equal([Poison], FailedIds(body));
        var job = host.Store.Get(JobA)!;
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("s3://bucket/out/granule.nc", job.Outputs["output"].GetString());
        Assert.Contains("reprocessing-3", job.Labels);
    }

    [Fact]
    public async Task A_fully_stored_batch_answers_an_empty_failure_list()
    {
        await using var host = await EventsHost.StartAsync();
        host.Store.Add(Job(JobA));
        var sqsEvent = JsonNode.Parse(Fixture("sqs-event.json"))!;
        sqsEvent["Records"]!.AsArray().RemoveAt(2);

        var (_, _, body) = await PostAsync(host, sqsEvent.ToJsonString());

        Assert.Equal("""{"batchItemFailures":[]}""", body);
    }

    [Fact]
    public async Task A_store_outage_reports_every_message_of_the_event()
    {
        await using var host = await EventsHost.StartAsync();
        host.Store.Add(Job(JobA));
        host.Store.Unavailable = true;

        var (status, _, body) = await PostAsync(host, Fixture("sqs-event.json"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["059f36b4-87a3-44ab-83d2-661975830a7d", Succeeded, Poison], FailedIds(body));
        Assert.Equal(JobStatus.Submitted, host.Store.Get(JobA)!.Status);
    }

    [Fact]
    public async Task An_event_from_a_FIFO_queue_reports_the_first_failure_and_everything_after_it()
    {
        await using var host = await EventsHost.StartAsync();
        host.Store.Add(Job(JobA));

        var (_, _, body) = await PostAsync(host, Fixture("sqs-event.fifo.json"));

        Assert.Equal([Poison, Succeeded], FailedIds(body));
        Assert.Equal(JobStatus.Running, host.Store.Get(JobA)!.Status);
    }

    [Fact]
    public async Task A_body_that_is_no_SQS_event_fails_the_whole_invoke()
    {
        await using var host = await EventsHost.StartAsync();

        var (status, contentType, body) = await PostAsync(host, """{"detail-type":"Scheduled Event"}""");

        // 500 fails the invoke under AWS_LWA_ERROR_STATUS_CODES; the empty identifier fails the batch otherwise.
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("application/json", contentType);
        Assert.Equal([""], FailedIds(body));
    }

    [Fact]
    public async Task Legacy_messages_in_an_event_are_accepted_when_configured()
    {
        await using var host = await EventsHost.StartAsync(("Jobs:Updates:AcceptLegacy", "true"));
        var sqsEvent = new JsonObject
        {
            ["Records"] = new JsonArray(new JsonObject
            {
                ["messageId"] = "1c2d3e4f-0000-4000-8000-000000000001",
                ["body"] = Fixture("legacy-ades-submitted.sns.json"),
                ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = "1", ["SentTimestamp"] = "1691515300600" },
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = "arn:aws:sqs:us-west-2:123456789012:unity-sps-jobs-data.fifo",
            }),
        };

        var (_, _, body) = await PostAsync(host, sqsEvent.ToJsonString());

        Assert.Equal("""{"batchItemFailures":[]}""", body);
        Assert.NotNull(host.Store.Get("a9f1d6c2-5e3b-4f7a-8c9d-0e1f2a3b4c5d"));
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> PostAsync(EventsHost host, string sqsEvent)
    {
        var response = await host.Client.PostAsync("/events", new StringContent(sqsEvent, Encoding.UTF8, "application/json"));
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static List<string> FailedIds(string body) =>
        JsonNode.Parse(body)!["batchItemFailures"]!.AsArray().Select(f => f!["itemIdentifier"]!.GetValue<string>()).ToList();
}
