using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Jobs.Cli;
using Jobs.Core.Jobs;
using Jobs.Functions.Tests.Consumer;
using Jobs.UpdatesFunction;
using Jobs.UpdatesFunction.Polling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Jobs.Functions.Tests.TestMessages;

namespace Jobs.Functions.Tests.Polling;

/// <summary>
/// The poller and the SNS -> SQS path against LocalStack. Skipped, with the reason, where neither
/// <c>JOBS_TEST_AWS_ENDPOINT</c> nor a Docker engine is available.
/// </summary>
public sealed class LocalStackRoundTripTests(LocalStackFixture localStack) : IClassFixture<LocalStackFixture>, IDisposable
{
    private const string JobA = "0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ConsumerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [SkippableFact]
    public async Task The_poller_stores_updates_from_a_queue_and_deletes_them()
    {
        Skip.If(localStack.SkipReason is not null, localStack.SkipReason);
        _h.Store.Add(Job(JobA));
        using var sqs = localStack.Sqs();
        var queueUrl = await CreateQueueAsync(sqs, $"jobs-{Guid.NewGuid():N}");
        await sqs.SendMessageAsync(queueUrl, Json(Update(JobA, "u1", 10, JobStatus.Running, progress: 10)));
        await sqs.SendMessageAsync(queueUrl, SnsEnvelope(Json(Update(JobA, "u2", 20, progress: 60))));

        await RunPollerUntilAsync(sqs, queueUrl, () => _h.Store.Get(JobA)!.Progress == 60);

        Assert.Equal(JobStatus.Running, _h.Store.Get(JobA)!.Status);
        Assert.Equal(0, await MessagesLeftAsync(sqs, queueUrl));
    }

    [SkippableFact]
    public async Task An_update_published_by_jobs_update_to_SNS_reaches_the_store_through_SQS()
    {
        Skip.If(localStack.SkipReason is not null, localStack.SkipReason);
        _h.Store.Add(Job(JobA));
        using var sqs = localStack.Sqs();
        var name = $"jobs-{Guid.NewGuid():N}";
        var queueUrl = await CreateQueueAsync(sqs, name);
        var queueArn = (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).Attributes["QueueArn"];
        using var http = new HttpClient();
        var topicArn = await QueryAsync(http, $"Action=CreateTopic&Name={name}", "TopicArn");
        await QueryAsync(http, $"Action=Subscribe&TopicArn={Uri.EscapeDataString(topicArn)}&Protocol=sqs&Endpoint={Uri.EscapeDataString(queueArn)}", "SubscriptionArn");

        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new Dictionary<string, string?>
        {
            ["JOBS_JOB_ID"] = JobA,
            ["JOBS_UPDATE_TOKEN"] = Token,
            ["JOBS_TOPIC_ARN"] = topicArn,
            ["JOBS_AWS_ENDPOINT_URL"] = localStack.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
        };
        var code = await JobsCli.RunAsync(
            ["update", "--status", "succeeded", "--output", "output=s3://bucket/out/granule.nc"],
            new CliContext(environment, output, error), CancellationToken.None);
        Assert.True(code == 0, error.ToString());

        await RunPollerUntilAsync(sqs, queueUrl, () => _h.Store.Get(JobA)!.Status == JobStatus.Succeeded);

        Assert.Equal("s3://bucket/out/granule.nc", _h.Store.Get(JobA)!.Outputs["output"].GetString());
        Assert.Equal(0, await MessagesLeftAsync(sqs, queueUrl));
    }

    private async Task RunPollerUntilAsync(IAmazonSQS sqs, string queueUrl, Func<bool> done)
    {
        var settings = new UpdatesOptions { QueueUrl = queueUrl, WaitTimeSeconds = 1, MaxConcurrentBatches = 1, VisibilityTimeout = TimeSpan.FromSeconds(30) };
        var queue = new SqsQueueClient(sqs, Options.Create(settings), NullLogger<SqsQueueClient>.Instance);
        using var poller = new SqsPoller(queue, _h.Processor, Options.Create(settings), TimeProvider.System, NullLogger<SqsPoller>.Instance);
        await poller.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + Patience;
        while (!done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await poller.StopAsync(CancellationToken.None);
        Assert.True(done(), "the update did not reach the store");
    }

    private static async Task<string> CreateQueueAsync(IAmazonSQS sqs, string name)
    {
        var dlq = await sqs.CreateQueueAsync(name + "-dlq");
        var dlqArn = (await sqs.GetQueueAttributesAsync(dlq.QueueUrl, ["QueueArn"])).Attributes["QueueArn"];
        var queue = await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = "30",
                ["RedrivePolicy"] = JsonSerializer.Serialize(new { deadLetterTargetArn = dlqArn, maxReceiveCount = "5" }),
            },
        });
        return queue.QueueUrl;
    }

    private static async Task<int> MessagesLeftAsync(IAmazonSQS sqs, string queueUrl)
    {
        var attributes = (await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])).Attributes;
        return int.Parse(attributes["ApproximateNumberOfMessages"], System.Globalization.CultureInfo.InvariantCulture)
            + int.Parse(attributes["ApproximateNumberOfMessagesNotVisible"], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>An SNS Query API call for set-up (LocalStack does not check signatures); returns one element of the answer.</summary>
    private async Task<string> QueryAsync(HttpClient http, string form, string element)
    {
        using var content = new StringContent(form + "&Version=2010-03-31", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await http.PostAsync(localStack.Endpoint + "/", content);
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        return xml.Descendants().First(e => e.Name.LocalName == element).Value;
    }
}
