// Usage: Jobs.Embedded.CrashHost <data path> <round> [writers]
// Opens the embedded store and writes from several concurrent tasks until killed, printing a
// line once each write is acknowledged:
//   "created <id>" / "updated <id>"   writers creating jobs and moving them to running;
//   "large <id> <n>"                  output o<n> (256 KiB of '<', six times that once escaped
//                                     as JSON) applied to the job <id>, which keeps o0..o<n>;
//   "flooded <id> <n>"                 after wrong-token updates with 256 KiB messages (each
//                                     rejected), the worker's update to progress <n> applied.
// Ids carry the round, so the same data path can be killed and written again.
using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;
using Jobs.Embedded;

var path = args[0];
var round = args[1];
var writers = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 6;
const string Token = "crash-token-0123456789";
var store = new EmbeddedJobStore(new EmbeddedStoreOptions { DataPath = path, CheckpointSeconds = 1 });
var large = JsonSerializer.SerializeToElement(new string('<', 256 * 1024));
var output = Console.Out;
var gate = new object();
void Print(string line)
{
    lock (gate)
    {
        output.WriteLine(line);
        output.Flush();
    }
}

async Task<string> CreateAsync(string id)
{
    var job = JobMerger.Create(new JobDocument { Id = id, ProcessId = "crash", Created = DateTimeOffset.UtcNow, TokenSha256 = UpdateToken.Hash(Token) }, ["crash"]);
    if (!await store.CreateAsync(job, CancellationToken.None))
    {
        throw new InvalidOperationException($"{id} existed already");
    }

    Print($"created {id}");
    return id;
}

async Task<UpdateOutcomeKind> UpdateAsync(UpdateMessage message) =>
    (await store.ApplyAsync([new JobUpdate(message, EventSources.Api)], CancellationToken.None))[0].Outcome;

var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    for (var i = 0; ; i++)
    {
        var id = await CreateAsync($"crash-{round}-{w}-{i}");
        var outcome = await UpdateAsync(new UpdateMessage { Id = $"u-{id}", JobId = id, Token = Token, Time = DateTimeOffset.UtcNow.AddSeconds(1), Status = JobStatus.Running, Progress = 10 });
        if (outcome != UpdateOutcomeKind.Applied)
        {
            throw new InvalidOperationException($"{id}: {outcome}");
        }

        Print($"updated {id}");
    }
})).ToList();

tasks.Add(Task.Run(async () =>
{
    for (var j = 0; ; j++)
    {
        // A few large outputs per job, then the next job: the records stay well under the log's limit.
        var id = await CreateAsync($"large-{round}-{j}");
        for (var n = 0; n < 6; n++)
        {
            var message = new UpdateMessage
            {
                Id = $"o{n}-{id}",
                JobId = id,
                Token = Token,
                Time = DateTimeOffset.UtcNow,
                Status = JobStatus.Running,
                Outputs = new Dictionary<string, JsonElement> { [$"o{n}"] = large },
            };
            if (await UpdateAsync(message) != UpdateOutcomeKind.Applied)
            {
                throw new InvalidOperationException($"{id}: o{n} not applied");
            }

            Print($"large {id} {n}");
        }
    }
}));

tasks.Add(Task.Run(async () =>
{
    var id = await CreateAsync($"flood-{round}");
    var start = DateTimeOffset.UtcNow;
    var message = new string('<', 256 * 1024);
    for (var n = 1; ; n++)
    {
        for (var k = 0; k < 5; k++)
        {
            var wrong = new UpdateMessage { Id = $"w{n}-{k}", JobId = id, Token = "wrong-token-0123456789", Time = DateTimeOffset.UtcNow, Status = JobStatus.Failed, Message = message };
            if (await UpdateAsync(wrong) != UpdateOutcomeKind.Rejected)
            {
                throw new InvalidOperationException($"{id}: a wrong token was not rejected");
            }
        }

        var right = new UpdateMessage { Id = $"p{n}", JobId = id, Token = Token, Time = start.AddSeconds(n), Status = JobStatus.Running, Progress = Math.Min(n, 100) };
        if (await UpdateAsync(right) != UpdateOutcomeKind.Applied)
        {
            throw new InvalidOperationException($"{id}: p{n} not applied");
        }

        Print($"flooded {id} {Math.Min(n, 100)}");
    }
}));

Print("ready");
await Task.WhenAll(tasks);
