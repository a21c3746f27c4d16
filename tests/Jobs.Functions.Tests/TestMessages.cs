using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;
using Jobs.UpdatesFunction.Consumer;

namespace Jobs.Functions.Tests;

/// <summary>Jobs, update messages and SQS bodies for the consumer tests.</summary>
internal static class TestMessages
{
    public const string Token = "Zk9xWcJ3r0mQ2pLw8sT1vA";
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static JobDocument Job(string id) =>
        JobMerger.Create(
            new JobDocument { Id = id, ProcessId = "l1b-cwl", ProcessVersion = "develop", Created = T0, TokenSha256 = UpdateToken.Hash(Token) },
            ["campaign-3"]);

    public static UpdateMessage Update(
        string jobId,
        string id,
        int secondsAfterT0,
        JobStatus? status = null,
        string token = Token,
        int? progress = null,
        string? stage = null,
        IReadOnlyDictionary<string, JsonElement>? outputs = null,
        LabelChanges? labels = null) =>
        new()
        {
            Id = id,
            JobId = jobId,
            Token = token,
            Time = T0.AddSeconds(secondsAfterT0),
            Status = status,
            Progress = progress,
            Stage = stage,
            Outputs = outputs,
            Labels = labels,
        };

    public static string Json(UpdateMessage message) => UpdateMessageWriter.ToJson(message);

    /// <summary>The body SQS holds when SNS delivers without raw message delivery.</summary>
    public static string SnsEnvelope(string message, string snsMessageId = "5d1f6a0e-2b7c-5c3e-9d11-4f0a2b3c4d5e", string timestamp = "2026-11-22T10:00:00.000Z") =>
        new JsonObject
        {
            ["Type"] = "Notification",
            ["MessageId"] = snsMessageId,
            ["TopicArn"] = "arn:aws:sns:us-west-2:123456789012:jobs",
            ["Message"] = message,
            ["Timestamp"] = timestamp,
            ["SignatureVersion"] = "1",
            ["Signature"] = "EXAMPLE==",
            ["SigningCertURL"] = "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-example.pem",
            ["UnsubscribeURL"] = "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:jobs:1",
        }.ToJsonString();

    public static QueueMessage Queued(string body, string? messageId = null, DateTimeOffset? sent = null, int receiveCount = 1) =>
        new(messageId ?? Guid.NewGuid().ToString(), body, sent ?? T0, receiveCount);

    public static IReadOnlyDictionary<string, JsonElement> Outputs(params (string Key, string Url)[] items) =>
        items.ToDictionary(i => i.Key, i => JsonSerializer.SerializeToElement(i.Url));

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>The job as JSON.</summary>
    public static string Canonical(JobDocument job) => JsonNode.Parse(Jobs.Core.Json.JobsJson.ToUtf8(job))!.ToJsonString();
}
