using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SQS;
using Jobs.Aws.Events;
using Jobs.Core.Jobs;
using Jobs.Core.Notifications;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Jobs.Aws.Tests;

/// <summary>
/// The events publisher through the real AWS SDK client against a loopback server answering as
/// SQS does (JSON protocol, <c>X-Amz-Target: AmazonSQS.SendMessageBatch</c>, the bodies' MD5s).
/// </summary>
public sealed class SqsEventPublisherTests : IDisposable
{
    private const string QueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs-events.fifo";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private readonly WireMockServer _sqs;
    private readonly AmazonSQSClient _client;
    private readonly HashSet<string> _refuse = [];

    public SqsEventPublisherTests()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        probe.Stop();
        _sqs = WireMockServer.Start(new WireMockServerSettings { Urls = [url], StartAdminInterface = false });
        _sqs.Given(Request.Create().UsingPost().WithPath("/")).RespondWith(Response.Create().WithCallback(request =>
        {
            var entries = JsonNode.Parse(request.Body!)!["Entries"]!.AsArray();
            var successful = new JsonArray();
            var failed = new JsonArray();
            foreach (var entry in entries)
            {
                var id = (string)entry!["Id"]!;
                if (_refuse.Contains((string)entry["MessageDeduplicationId"]!))
                {
                    failed.Add(new JsonObject { ["Id"] = id, ["Code"] = "InternalError", ["Message"] = "try again", ["SenderFault"] = false });
                    continue;
                }

                var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes((string)entry["MessageBody"]!)));
                successful.Add(new JsonObject { ["Id"] = id, ["MessageId"] = Guid.NewGuid().ToString(), ["MD5OfMessageBody"] = md5, ["SequenceNumber"] = "18849496460467696128" });
            }

            return new WireMock.ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/x-amz-json-1.0") },
                BodyData = new WireMock.Util.BodyData
                {
                    BodyAsString = new JsonObject { ["Successful"] = successful, ["Failed"] = failed }.ToJsonString(),
                    DetectedBodyType = WireMock.Types.BodyType.String,
                },
            };
        }));
        _client = new AmazonSQSClient(new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), new AmazonSQSConfig
        {
            ServiceURL = url,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
        });
    }

    [Fact]
    public async Task Events_go_out_in_order_in_batches_of_ten_grouped_by_job_and_deduplicated_by_event_id()
    {
        var events = Enumerable.Range(1, 11).Select(n => Event("j1", n, JobStatus.Running)).Append(Event("j2", 1, JobStatus.Succeeded)).ToList();

        await new SqsEventPublisher(_client, QueueUrl).PublishAsync(events, CancellationToken.None);

        var requests = _sqs.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("AmazonSQS.SendMessageBatch", r.Headers!["X-Amz-Target"].Single()));
        var sent = requests.SelectMany(r =>
        {
            var body = JsonNode.Parse(r.Body!)!;
            Assert.Equal(QueueUrl, (string)body["QueueUrl"]!);
            return body["Entries"]!.AsArray();
        }).ToList();
        Assert.Equal([10, 2], requests.Select(r => JsonNode.Parse(r.Body!)!["Entries"]!.AsArray().Count));
        Assert.Equal(events.Select(e => (e.JobId, e.Id)), sent.Select(s => ((string)s!["MessageGroupId"]!, (string)s["MessageDeduplicationId"]!)));
        var back = OutboxEventJson.Parse((string)sent[^1]!["MessageBody"]!);
        Assert.Equal(("j2:1", 1L, JobEventTypes.Status, "j2", Now, JobStatus.Succeeded), (back.Id, back.Sequence, back.Type, back.JobId, back.Time, back.Job.Status));
    }

    [Fact]
    public async Task An_event_SQS_refuses_fails_the_publish_and_no_later_batch_is_sent()
    {
        _refuse.Add("j1:3");
        var events = Enumerable.Range(1, 12).Select(n => Event("j1", n, JobStatus.Running)).ToList();

        var e = await Assert.ThrowsAsync<AmazonSQSException>(() => new SqsEventPublisher(_client, QueueUrl).PublishAsync(events, CancellationToken.None));

        Assert.Contains("InternalError", e.Message);
        Assert.Single(_sqs.LogEntries);
    }

    [Theory]
    [InlineData("0193a0c4-7e1f-7c4e-9b2a-5d6e7f809a1b:12", false)]
    [InlineData("job with spaces:1", true)]
    [InlineData("é:1", true)]
    public void Ids_SQS_would_refuse_are_hashed_alike_every_time(string id, bool hashed)
    {
        var sqsId = SqsEventPublisher.SqsId(id);

        Assert.Equal(hashed, sqsId != id);
        Assert.Equal(sqsId, SqsEventPublisher.SqsId(id));
        Assert.True(sqsId.Length <= 128);
    }

    public void Dispose()
    {
        _client.Dispose();
        _sqs.Stop();
    }

    private static OutboxEvent Event(string jobId, long n, JobStatus status) =>
        new(n, JobEventTypes.Status, jobId, Now, new JobDocument { Id = jobId, ProcessId = "l1b-cwl", Created = Now.AddHours(-1), Status = status, UserId = "alice" })
        {
            Id = $"{jobId}:{n}",
        };
}
