// Usage: Jobs.Embedded.CrashHost <data path> [writers]
// Opens the embedded store and, from several concurrent writers until killed, creates jobs and
// moves them to running; prints "created <id>" / "updated <id>" once each write is acknowledged.
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;
using Jobs.Embedded;

var path = args[0];
var writers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 8;
const string Token = "crash-token-0123456789";
var store = new EmbeddedJobStore(new EmbeddedStoreOptions { DataPath = path, CheckpointSeconds = 1 });
Console.Out.WriteLine("ready");

await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    for (var i = 0; ; i++)
    {
        var id = $"crash-{w}-{i}";
        var now = DateTimeOffset.UtcNow;
        var job = JobMerger.Create(new JobDocument { Id = id, ProcessId = "crash", Created = now, TokenSha256 = UpdateToken.Hash(Token) }, ["crash"]);
        if (!await store.CreateAsync(job, CancellationToken.None))
        {
            throw new InvalidOperationException($"{id} existed already");
        }

        Console.Out.WriteLine($"created {id}");
        var update = new JobUpdate(new UpdateMessage { Id = $"u-{id}", JobId = id, Token = Token, Time = now.AddSeconds(1), Status = JobStatus.Running, Progress = 10 }, EventSources.Api);
        var result = (await store.ApplyAsync([update], CancellationToken.None))[0];
        if (result.Outcome != UpdateOutcomeKind.Applied)
        {
            throw new InvalidOperationException($"{id}: {result.Outcome}");
        }

        Console.Out.WriteLine($"updated {id}");
    }
})));
