using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Processes;
using Jobs.Core.Updates;

namespace Jobs.Embedded.Tests;

internal static class TestJobs
{
    public const string Token = "embedded-token-0123456";
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static JobDocument Job(string id, IReadOnlyList<string>? labels = null) =>
        JobMerger.Create(new JobDocument { Id = id, ProcessId = "l1b-cwl", Created = T0, TokenSha256 = UpdateToken.Hash(Token) }, labels);

    public static JobUpdate Running(string jobId, string updateId, int progress = 10) =>
        new(new UpdateMessage { Id = updateId, JobId = jobId, Token = Token, Time = T0.AddSeconds(progress), Status = JobStatus.Running, Progress = progress }, EventSources.Api);

    public static ProcessDefinition Process(string id, string version) => new()
    {
        Id = id,
        Version = version,
        Description = System.Text.Json.JsonSerializer.SerializeToElement(new { id, version }),
        Deployed = T0,
    };
}
