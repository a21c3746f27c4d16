using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;

namespace Jobs.Elasticsearch.Tests.Support;

/// <summary>Jobs and updates for the tests.</summary>
internal static class TestJobs
{
    public const string Token = "tok-4cQe1r9wZxUu2b7Ln3vKpA";

    public static JobDocument Job(string id, DateTimeOffset? created = null) => JobMerger.Create(
        new JobDocument
        {
            Id = id,
            ProcessId = "l1b-cwl",
            ProcessVersion = "develop",
            UserId = "alice",
            Created = created ?? StoreHarness.Now.AddHours(-1),
            TokenSha256 = UpdateToken.Hash(Token),
            Inputs = new Dictionary<string, JsonElement>
            {
                ["input_collection_id"] = JsonSerializer.SerializeToElement("ATMS_L1A"),
            },
        },
        ["reprocessing-3"]);

    public static JobUpdate Update(string updateId, string jobId, JobStatus? status = JobStatus.Running, int minute = 1, string token = Token) => new(
        new UpdateMessage
        {
            Id = updateId,
            JobId = jobId,
            Token = token,
            Time = StoreHarness.Now.AddMinutes(-60 + minute),
            Status = status,
        },
        EventSources.Queue);
}
