using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Processes;
using Jobs.Core.Updates;

namespace Jobs.Conformance.Tests;

/// <summary>Jobs, updates and processes the conformance tests build, and a small fixed corpus for search.</summary>
public static class TestData
{
    public const string Token = "conformance-token-0123";
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static JobDocument NewJob(
        string id,
        DateTimeOffset? created = null,
        string processId = "l1b-cwl",
        string? version = "1.0",
        string? userId = "alice",
        string? inputs = null,
        IReadOnlyList<string>? labels = null) =>
        JobMerger.Create(
            new JobDocument
            {
                Id = id,
                ProcessId = processId,
                ProcessVersion = version,
                UserId = userId,
                Created = created ?? T0,
                Inputs = inputs is null ? new Dictionary<string, JsonElement>() : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(inputs)!,
                Request = JsonSerializer.SerializeToElement(new { mode = "async", response = "document" }),
                TokenSha256 = UpdateToken.Hash(Token),
            },
            labels);

    public static JobUpdate Update(
        string jobId,
        string updateId,
        DateTimeOffset time,
        JobStatus? status = null,
        string? token = Token,
        int? progress = null,
        string? message = null,
        string? stage = null,
        string? outputs = null,
        LabelChanges? labels = null,
        JobError? error = null) =>
        new(new UpdateMessage
        {
            Id = updateId,
            JobId = jobId,
            Token = token,
            Time = time,
            Status = status,
            Progress = progress,
            Message = message,
            Stage = stage,
            Outputs = outputs is null ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(outputs),
            Labels = labels,
            Error = error,
        }, EventSources.Api);

    public static ProcessDefinition Process(string id, string version, DateTimeOffset deployed) => new()
    {
        Id = id,
        Version = version,
        Description = JsonSerializer.SerializeToElement(new { id, version, title = $"process {id}" }),
        ExecutionUnit = JsonSerializer.SerializeToElement(new { type = "application/cwl", href = $"https://example.org/{id}.cwl" }),
        Deployed = deployed,
    };

    /// <summary>
    /// Five jobs over three days with different processes, users, statuses, labels, inputs,
    /// progress, messages and errors (see each comment); created through the store's ports.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LoadCorpusAsync(IStoreUnderTest store)
    {
        var jobs = store.Jobs;
        var none = CancellationToken.None;

        // job-1: submitted; labels red, blue; inputs region.lat 10
        await jobs.CreateAsync(NewJob("job-1", T0, "l1b-cwl", "1.0", "alice", """{"region":{"lat":10,"name":"north"},"collection":"C1"}""", ["red", "blue"]), none);

        // job-2: running, progress 40, message; label red
        await jobs.CreateAsync(NewJob("job-2", T0.AddHours(1), "l1b-cwl", "2.0", "bob", """{"collection":"C2","count":3}""", ["red"]), none);

        // job-3: succeeded after 60 s, progress 100, an output; label green
        await jobs.CreateAsync(NewJob("job-3", T0.AddDays(1), "l2-cwl", "1.0", "alice", """{"collection":"C1","flag":true}""", ["green"]), none);

        // job-4: failed after 30 s with an error; no labels, no inputs
        await jobs.CreateAsync(NewJob("job-4", T0.AddDays(2), "l2-cwl", "1.0", "carol"), none);

        // job-5: dismissed; label blue; inputs region.lat 20
        await jobs.CreateAsync(NewJob("job-5", T0.AddDays(3), "l1b-cwl", "1.0", "bob", """{"region":{"lat":20}}""", ["blue"]), none);

        var results = await jobs.ApplyAsync(
        [
            Update("job-2", "u-2a", T0.AddHours(1).AddMinutes(1), JobStatus.Running, progress: 40, stage: "stage-in", message: "Copying inputs to scratch"),
            Update("job-3", "u-3a", T0.AddDays(1).AddSeconds(10), JobStatus.Running),
            Update("job-3", "u-3b", T0.AddDays(1).AddSeconds(70), JobStatus.Succeeded, progress: 100, outputs: """{"output":"s3://bucket/out.nc"}"""),
            Update("job-4", "u-4a", T0.AddDays(2).AddSeconds(5), JobStatus.Running),
            Update("job-4", "u-4b", T0.AddDays(2).AddSeconds(35), JobStatus.Failed, error: new JobError("workflow-failed", "Step L1B exited 2")),
            Update("job-5", "u-5a", T0.AddDays(3).AddSeconds(5), JobStatus.Dismissed),
        ], none);
        Assert.All(results, r => Assert.True(r.IsDone, $"{r.UpdateId}: {r.Outcome} {r.Reason}"));
        await store.RefreshAsync();
        return ["job-1", "job-2", "job-3", "job-4", "job-5"];
    }

    /// <summary>
    /// Six jobs for relevance: created without a message, then each given its message (and a
    /// status) by exactly one update, so the <c>message</c> statistics are those of the five
    /// messages on any store. Lengths in tokens: t1 3, t2 5, t3 8, t4 2, t5 5; t6 has none.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LoadTextCorpusAsync(IStoreUnderTest store)
    {
        var messages = new (string Id, string? Message, JobStatus Status)[]
        {
            ("t1", "Granule copy failed", JobStatus.Running),
            ("t2", "copy copy copy of inputs", JobStatus.Running),
            ("t3", "staging inputs to scratch disk for the granule", JobStatus.Failed),
            ("t4", "Copy inputs", JobStatus.Running),
            ("t5", "processing granule 42 of 100", JobStatus.Running),
            ("t6", null, JobStatus.Running),
        };
        for (var i = 0; i < messages.Length; i++)
        {
            await store.Jobs.CreateAsync(NewJob(messages[i].Id, T0.AddMinutes(i), userId: i % 2 == 0 ? "alice" : "bob"), CancellationToken.None);
        }

        var results = await store.Jobs.ApplyAsync(
            [.. messages.Select(m => Update(m.Id, "u-" + m.Id, T0.AddHours(1), m.Status, message: m.Message))],
            CancellationToken.None);
        Assert.All(results, r => Assert.True(r.IsDone, $"{r.UpdateId}: {r.Outcome} {r.Reason}"));
        await store.RefreshAsync();
        return [.. messages.Select(m => m.Id)];
    }

    /// <summary>The root cause of a refused search: Elasticsearch wraps shard-level failures, the type and reason stay in the root cause.</summary>
    public static (string Type, string Reason) RootCause(Core.Search.SearchException error) =>
        error.Body?["error"]?["root_cause"]?[0] is JsonObject cause
            ? (cause["type"]!.GetValue<string>(), cause["reason"]!.GetValue<string>())
            : (error.Type, error.Reason);

    public static long Millis(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    public static List<string> Ids(JsonObject response) =>
        response["hits"]!["hits"]!.AsArray().Select(h => h!["_id"]!.GetValue<string>()).ToList();
}
