using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Updates;
using Xunit.Abstractions;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests;

/// <summary>
/// Not a test: throughput and latency figures of the store on this machine, run on demand with
/// <c>JOBS_MEASURE=1 dotnet test tests/Jobs.Embedded.Tests -c Release --filter Measure --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class MeasurementTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public async Task Measure_creates_updates_and_searches()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("JOBS_MEASURE") == "1", "a measurement: set JOBS_MEASURE=1 to run it");
        const int jobs = 20_000, writers = 32, batchSize = 100, batchWriters = 8, rounds = 5;
        using var store = _dir.OpenStore(checkpointSeconds: 30);

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < jobs; i += writers)
            {
                await store.CreateAsync(Job($"job-{i:D6}", [$"l{i % 7}"]), CancellationToken.None);
            }
        })));
        var createSeconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"created {jobs} jobs with {writers} concurrent writers in {createSeconds:F2} s: {jobs / createSeconds:F0} jobs/s, {store.FsyncCount} fsyncs");

        // Every round sends one update per job, in batches of 100 jobs, from 8 concurrent senders.
        var fsyncsBefore = store.FsyncCount;
        clock.Restart();
        for (var round = 0; round < rounds; round++)
        {
            var batches = Enumerable.Range(0, jobs / batchSize).Select(b => Enumerable.Range(b * batchSize, batchSize)
                .Select(i => Running($"job-{i:D6}", $"u{round}-{i}", round + 1)).ToList()).ToList();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, batchWriters).Select(_ => Task.Run(async () =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < batches.Count)
                {
                    var results = await store.ApplyAsync(batches[b], CancellationToken.None);
                    Assert.All(results, r => Assert.Equal(UpdateOutcomeKind.Applied, r.Outcome));
                }
            })));
        }

        var updateSeconds = clock.Elapsed.TotalSeconds;
        var updates = jobs * rounds;
        output.WriteLine($"applied {updates} updates in batches of {batchSize} ({batchWriters} concurrent senders) in {updateSeconds:F2} s: {updates / updateSeconds:F0} updates/s, {store.FsyncCount - fsyncsBefore} fsyncs");

        var query = JsonNode.Parse("""{"query":{"bool":{"filter":[{"term":{"status":"running"}},{"term":{"labels":"l3"}}]}},"sort":[{"created":"desc"},{"id":"desc"}],"size":10,"_source":{"excludes":["token-sha256"]},"aggs":{"s":{"terms":{"field":"status"}}}}""")!.AsObject();
        var latencies = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await store.SearchAsync(query, CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Assert.Equal(10, response["hits"]!["hits"]!.AsArray().Count);
        }

        latencies.Sort();
        output.WriteLine($"search (filter + sort + terms agg) over {jobs} jobs: p50 {latencies[latencies.Count / 2]:F2} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F2} ms");
        Assert.Equal(JobStatus.Running, (await store.GetAsync("job-000000", CancellationToken.None))!.Status);
    }
}
