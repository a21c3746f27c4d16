using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Merging;
using Jobs.Core.Updates;

namespace Jobs.Core.Tests;

/// <summary>Builders for jobs and updates used across the Core tests.</summary>
internal static class TestJobs
{
    public const string Token = "test-token-0123456789";
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static JobDocument NewJob(string id = "job-1", IReadOnlyList<string>? labels = null) =>
        JobMerger.Create(
            new JobDocument
            {
                Id = id,
                ProcessId = "l1b-cwl",
                ProcessVersion = "develop",
                Created = T0,
                TokenSha256 = UpdateToken.Hash(Token),
            },
            labels);

    public static JobUpdate Update(
        string id,
        int secondsAfterT0,
        JobStatus? status = null,
        string? jobId = "job-1",
        string? token = Token,
        string? stage = null,
        int? progress = null,
        string? message = null,
        IReadOnlyDictionary<string, JsonElement>? outputs = null,
        LabelChanges? labels = null,
        JobError? error = null) =>
        new(new UpdateMessage
        {
            Id = id,
            JobId = jobId!,
            Token = token,
            Time = T0.AddSeconds(secondsAfterT0),
            Status = status,
            Stage = stage,
            Progress = progress,
            Message = message,
            Outputs = outputs,
            Labels = labels,
            Error = error,
        }, EventSources.Api);

    public static IReadOnlyDictionary<string, JsonElement> Outputs(params (string Key, string Url)[] items) =>
        items.ToDictionary(i => i.Key, i => JsonSerializer.SerializeToElement(i.Url));

    /// <summary>
    /// The job as JSON without what depends on arrival: the counts of rejected deliveries (a
    /// duplicate delivery of a wrong-token update is counted again).
    /// </summary>
    public static string Canonical(JobDocument job)
    {
        var node = JsonNode.Parse(JobsJson.ToUtf8(job))!.AsObject();
        if (node["merge"] is JsonObject merge)
        {
            merge.Remove("rejected");
            merge.Remove("rejected-unrecorded");
        }

        return node.ToJsonString();
    }
}
