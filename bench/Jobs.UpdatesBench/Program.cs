using System.Diagnostics;
using System.Globalization;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Jobs.Hosting;
using Jobs.UpdatesFunction;
using Jobs.UpdatesFunction.Consumer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Updates applied per second through the consumer core (UpdateBatchProcessor) on the configured
// store (the embedded one by default, in a fresh temporary directory), for SQS batches of 1 and
// of 10 messages in the same run, alternating so that neither size gets the warm caches.
//   dotnet run -c Release --project bench/Jobs.UpdatesBench -- [updates per round, default 2000] [jobs, default 1000]
var perRound = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var jobCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var dataPath = Path.Combine(Path.GetTempPath(), "jobs-updates-bench", Guid.NewGuid().ToString("N"));
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:Store"] = "embedded", ["Jobs:Embedded:DataPath"] = dataPath })
    .AddEnvironmentVariables()
    .Build();

var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
services.AddJobStore(configuration);
services.AddUpdateConsumer(configuration);
var provider = services.BuildServiceProvider();
var store = provider.GetRequiredService<IJobStore>();
var processor = provider.GetRequiredService<UpdateBatchProcessor>();

const string token = "bench-token-0123456789";
var now = DateTimeOffset.UtcNow;
var jobs = Enumerable.Range(0, jobCount).Select(i => JobIds.New(now.AddMilliseconds(i))).ToList();
foreach (var id in jobs)
{
    await store.CreateAsync(JobMerger.Create(
        new JobDocument { Id = id, ProcessId = "bench", Created = now, TokenSha256 = UpdateToken.Hash(token) }, ["bench"]), CancellationToken.None);
}

var sequence = 0;
List<QueueMessage> Messages(int count) => Enumerable.Range(0, count).Select(_ =>
{
    var n = Interlocked.Increment(ref sequence);
    var message = new UpdateMessage
    {
        Id = Guid.CreateVersion7().ToString("D"),
        JobId = jobs[n % jobs.Count],
        Token = token,
        Time = now.AddMilliseconds(n),
        Status = n < jobs.Count * 2 ? JobStatus.Running : null,
        Progress = n % 100,
        Stage = "process",
    };
    return new QueueMessage(Guid.NewGuid().ToString(), UpdateMessageWriter.ToJson(message), now, 1);
}).ToList();

async Task<double> RoundAsync(int batchSize, int updates)
{
    var messages = Messages(updates);
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < messages.Count; i += batchSize)
    {
        var outcome = await processor.ProcessAsync(messages.GetRange(i, Math.Min(batchSize, messages.Count - i)), fifo: false, CancellationToken.None);
        if (outcome.FailedMessageIds.Count > 0)
        {
            throw new InvalidOperationException($"{outcome.FailedMessageIds.Count} messages failed: {outcome.Messages.First(m => m.Failed).Reason}");
        }
    }

    return updates / watch.Elapsed.TotalSeconds;
}

await RoundAsync(10, Math.Min(500, perRound)); // warm-up, not reported
var results = new Dictionary<int, List<double>> { [1] = [], [10] = [] };
foreach (var size in (int[])[1, 10, 1, 10, 1, 10])
{
    var rate = await RoundAsync(size, perRound);
    results[size].Add(rate);
    Console.WriteLine($"batch {size,2}: {perRound} updates, {rate,9:F0} updates/s");
}

double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
var one = Median(results[1]);
var ten = Median(results[10]);
Console.WriteLine($"median: batch 1 = {one:F0} updates/s, batch 10 = {ten:F0} updates/s, ratio 10:1 = {ten / one:F1}x " +
    $"(store {configuration["Jobs:Store"]}, {jobCount} jobs, {Environment.ProcessorCount} cores)");

// The store closes its index first; then its directory can go.
await provider.DisposeAsync();
if (Directory.Exists(dataPath))
{
    Directory.Delete(dataPath, recursive: true);
}
