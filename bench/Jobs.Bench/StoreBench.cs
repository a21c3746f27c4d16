using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Processes;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Jobs.Embedded;
using Jobs.UpdatesFunction;
using Jobs.UpdatesFunction.Consumer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Bench;

/// <summary>
/// The embedded store under measurement: grows one corpus through the sizes and measures ingest,
/// disk, search and updates at each.
/// </summary>
internal sealed class StoreBench : IAsyncDisposable
{
    /// <summary>Jobs generated ahead of the timed creates (generation is not part of the figure).</summary>
    private const int Chunk = 20_000;

    /// <summary>Updates go to the unfinished jobs among this many newest ones.</summary>
    private const int RecentJobs = 50_000;

    private const string Naive = "naive: 1 message at a time, awaited";

    private readonly BenchOptions _options;
    private readonly Results _results;
    private readonly Corpus _corpus;
    private readonly ServiceProvider _services;
    private readonly MemorySampler _memory;
    private long _updateClock;
    private int _updateSerial;

    public StoreBench(BenchOptions options, Results results, string dataPath)
    {
        _options = options;
        _results = results;
        DataPath = dataPath;
        _corpus = new Corpus(options.Seed);
        Store = new EmbeddedJobStore(new EmbeddedStoreOptions { DataPath = dataPath });
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddSingleton<IJobStore>(Store);
        services.AddUpdateConsumer(configuration);
        _services = services.BuildServiceProvider();
        Processor = _services.GetRequiredService<UpdateBatchProcessor>();
        _memory = new MemorySampler(Process.GetCurrentProcess());
    }

    public string DataPath { get; }

    public EmbeddedJobStore Store { get; }

    public UpdateBatchProcessor Processor { get; }

    public int Count { get; private set; }

    /// <summary>The seed's process, so that the API can execute it on a copy of this store.</summary>
    public async Task DeploySeedProcessAsync()
    {
        var package = JsonNode.Parse("""
            {"processDescription": {"id": "l1b-cwl", "version": "1", "title": "ATMS L1B",
              "jobControlOptions": ["async-execute"],
              "inputs": {
                "input_collection_id": {"schema": {"type": "string"}},
                "start_datetime": {"schema": {"type": "string", "format": "date-time"}},
                "stop_datetime": {"schema": {"type": "string", "format": "date-time"}},
                "output_collection_id": {"schema": {"type": "string"}}},
              "outputs": {"output": {"schema": {"type": "string"}}}},
             "executionUnit": {"type": "application/cwl", "href": "https://example.org/l1b.cwl"}}
            """)!;
        var read = ApplicationPackageReader.Read(System.Text.Json.JsonSerializer.SerializeToElement(package), DateTimeOffset.UtcNow);
        if (!read.IsValid)
        {
            throw new InvalidOperationException($"seed process: {read.Errors}");
        }

        await Store.DeployAsync(read.Value!, CancellationToken.None);
    }

    // ------------------------------------------------------------------ ingest

    /// <summary>Creates jobs [Count, size) with concurrent writers, timed in one slice per repetition.</summary>
    public async Task GrowToAsync(int size, Action<double> progress)
    {
        var from = Count;
        var slices = Math.Max(1, Math.Min(_options.Repetitions, (size - from) / 1_000));
        _memory.TakePeak();
        for (var s = 0; s < slices; s++)
        {
            var start = from + (long)(size - from) * s / slices;
            var end = from + (long)(size - from) * (s + 1) / slices;
            var latencies = new List<double>((int)(end - start));
            var seconds = 0.0;
            for (var c = start; c < end; c += Chunk)
            {
                var (chunkSeconds, chunkLatencies) = await CreateChunkAsync((int)c, (int)Math.Min(Chunk, end - c));
                seconds += chunkSeconds;
                latencies.AddRange(chunkLatencies);
                Count = (int)(c + chunkLatencies.Length);
                progress((double)(Count - from) / (size - from));
            }

            _results.Add("Ingest (store)", $"jobs created/s ({_options.Writers} writers)", size, "jobs/s", (end - start) / seconds);
            _results.Add("Ingest (store)", "create p50", size, "ms", Stats.Percentile(latencies, 50));
            _results.Add("Ingest (store)", "create p99", size, "ms", Stats.Percentile(latencies, 99));
        }

        PeakMemory("ingesting", size);
        _results.Add("Memory and disk", "live managed heap after ingest (full GC)", size, "MiB", LiveHeapMiB());
        HeapDump.Collect(_options, $"ingest-{Results.SizeName(size)}");
    }

    /// <summary>
    /// Creates jobs [first, first + count) with concurrent writers: the wall time of the creates
    /// and each one's latency. Its own method, so that the generated jobs are garbage once it
    /// returns and the live heap measured after the ingest is the store's, not the harness's.
    /// </summary>
    private async Task<(double Seconds, double[] Latencies)> CreateChunkAsync(int first, int count)
    {
        var jobs = new JobDocument[count];
        Parallel.For(0, jobs.Length, k => jobs[k] = _corpus.Job(first + k));
        var latencies = new double[jobs.Length];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, _options.Writers).Select(_ => Task.Run(async () =>
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < jobs.Length)
            {
                var t = Stopwatch.GetTimestamp();
                if (!await Store.CreateAsync(jobs[k], CancellationToken.None))
                {
                    throw new InvalidOperationException($"job {jobs[k].Id} existed");
                }

                latencies[k] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
        })));
        return (clock.Elapsed.TotalSeconds, latencies);
    }

    /// <summary>Index and log size after a checkpoint (index merges may still be running).</summary>
    public async Task MeasureDiskAsync(int size)
    {
        await Store.CheckpointAsync();
        var index = DirectoryBytes(Path.Combine(DataPath, "jobs", "index"));
        _results.Add("Memory and disk", "index on disk per 1,000 jobs", size, "KiB", index / 1024.0 / (size / 1000.0));
        _results.Add("Memory and disk", "index on disk", size, "MiB", index / 1048576.0);
    }

    public static long DirectoryBytes(string path) =>
        Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    // ------------------------------------------------------------------ search

    public async Task SearchAsync(int size, Action<double> progress)
    {
        var queries = SearchQueries.All(_corpus, size);
        _memory.TakePeak();
        var steps = _options.Repetitions * queries.Count;
        var done = 0;
        for (var rep = 0; rep < _options.Repetitions; rep++)
        {
            foreach (var query in queries)
            {
                var count = query.Name.StartsWith("deep", StringComparison.Ordinal) ? Math.Max(3, _options.Queries / 40) : _options.Queries;
                try
                {
                    // Warm-up: not counted.
                    for (var i = 0; i < Math.Max(2, count / 10); i++)
                    {
                        await query.RunAsync(Store, i + 1_000_000);
                    }

                    var latencies = new List<double>(count);
                    for (var i = 0; i < count; i++)
                    {
                        var t = Stopwatch.GetTimestamp();
                        await query.RunAsync(Store, i);
                        latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }

                    _results.Add("Search", $"{query.Name} p50", size, "ms", Stats.Percentile(latencies, 50));
                    _results.Add("Search", $"{query.Name} p99", size, "ms", Stats.Percentile(latencies, 99));
                }
                catch (SearchException e)
                {
                    if (rep == 0)
                    {
                        _results.Note($"{query.Name} at {Results.SizeName(size)}: refused by the store ({e.Message})");
                    }
                }

                progress((double)++done / steps);
            }
        }

        PeakMemory("searching", size);
        _results.Add("Memory and disk", "live managed heap after searches (full GC)", size, "MiB", LiveHeapMiB());
    }

    // ------------------------------------------------------------------ updates

    /// <summary>
    /// Updates applied per second through the consumer core at batch sizes 1, 10 and 100 with
    /// concurrent senders, and the naive baseline (one message at a time, awaited), in rotating
    /// order within each repetition.
    /// </summary>
    public async Task UpdatesAsync(int size, Action<double> progress)
    {
        // Workers update the jobs they are running: the unfinished ones among the newest 50,000.
        // One more mode spreads batches of 100 over every unfinished job of the corpus (reads
        // that no cache holds).
        var recent = Enumerable.Range(Math.Max(0, size - RecentJobs), Math.Min(size, RecentJobs))
            .Where(i => !Corpus.StatusOf(i).IsTerminal()).Select(_corpus.IdOf).ToArray();
        var spread = Enumerable.Range(0, size).Where(i => !Corpus.StatusOf(i).IsTerminal()).Select(_corpus.IdOf).ToArray();
        var modes = new List<(string Name, int Batch, int Senders, int Updates, string[] Targets)>
        {
            (Naive, 1, 1, _options.Updates / 10, recent),
            ($"batch 1, {_options.Senders} senders", 1, _options.Senders, _options.Updates / 5, recent),
            ($"batch 10, {_options.Senders} senders", 10, _options.Senders, _options.Updates, recent),
            ($"batch 100, {_options.Senders} senders", 100, _options.Senders, _options.Updates, recent),
            ($"batch 100, {_options.Senders} senders, spread over all unfinished jobs", 100, _options.Senders, _options.Updates, spread),
        };
        _memory.TakePeak();
        var steps = _options.Repetitions * modes.Count;
        var done = 0;

        // Warm-up (not counted): the JIT and the caches see every path once.
        await RunUpdatesAsync(recent, 10, _options.Senders, Math.Min(2_000, _options.Updates / 5));
        for (var rep = 0; rep < _options.Repetitions; rep++)
        {
            for (var m = 0; m < modes.Count; m++)
            {
                var mode = modes[(m + rep) % modes.Count];
                var rate = await RunUpdatesAsync(mode.Targets, mode.Batch, mode.Senders, mode.Updates);
                _results.Add("Updates (consumer core)", mode.Name, size, "updates/s", rate);
                _results.Add("Updates: CPU per update", mode.Name, size, "µs", LastCpuMicroseconds);
                progress((double)++done / steps);
            }

            var naive = _results.Figures.Single(f => f.Section == "Updates (consumer core)" && f.Size == size && f.Name == Naive).Runs[^1];
            var hundred = _results.Figures.Single(f => f.Section == "Updates (consumer core)" && f.Size == size && f.Name == modes[3].Name).Runs[^1];
            _results.Add("Updates (consumer core)", "ratio batch 100 : naive", size, "x", hundred / naive);
        }

        PeakMemory("updating", size);
        _results.Add("Memory and disk", "live managed heap after updates (full GC)", size, "MiB", LiveHeapMiB());
        var sent = _options.Repetitions * modes.Sum(m => m.Updates);
        var toRecent = _options.Repetitions * modes.Where(m => m.Targets == recent).Sum(m => m.Updates);
        _results.Note($"Updates at {Results.SizeName(size)}: {sent:N0} in all; {toRecent:N0} to the {recent.Length:N0} unfinished jobs among the newest " +
            $"{Math.Min(size, RecentJobs):N0} (about {(double)toRecent / recent.Length:F0} more events each), the rest spread over all {spread.Length:N0} unfinished jobs.");
    }

    private async Task<double> RunUpdatesAsync(string[] targets, int batchSize, int senders, int count)
    {
        // Messages are made before the clock starts; each goes to the next active job in turn.
        var batches = new List<List<QueueMessage>>();
        for (var b = 0; b < count; b += batchSize)
        {
            var batch = new List<QueueMessage>(batchSize);
            for (var k = 0; k < Math.Min(batchSize, count - b); k++)
            {
                var n = Interlocked.Increment(ref _updateSerial);
                var job = targets[(int)((uint)(n * 7919L) % (uint)targets.Length)];
                var time = Corpus.Epoch.AddDays(1).AddMilliseconds(Interlocked.Increment(ref _updateClock));
                var message = Corpus.Progress(job, $"bench-{n:D9}", time, n);
                batch.Add(new QueueMessage($"m-{n}", UpdateMessageWriter.ToJson(message), time));
            }

            batches.Add(batch);
        }

        var next = -1;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches.Count)
            {
                var outcome = await Processor.ProcessAsync(batches[b], fifo: false, CancellationToken.None);
                if (outcome.FailedMessageIds.Count > 0)
                {
                    throw new InvalidOperationException($"{outcome.FailedMessageIds.Count} updates failed: {outcome.Messages.First(o => o.Failed).Reason}");
                }
            }
        })));

        // The round ends when its updates are searchable too (indexing is not left for later).
        await Store.CountAsync(null, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        LastCpuMicroseconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count;
        return count / seconds;
    }

    /// <summary>The phase's peak working set, and its anonymous part (without the pages of memory-mapped files).</summary>
    private void PeakMemory(string phase, int size)
    {
        var (workingSet, anonymous) = _memory.TakePeaks();
        _results.Add("Memory and disk", $"peak working set while {phase}", size, "MiB", workingSet / 1048576.0);
        _results.Add("Memory and disk", $"peak working set while {phase}, less mapped files", size, "MiB", anonymous / 1048576.0);
    }

    /// <summary>
    /// The managed memory still reachable after one full, compacting collection (taken after a phase,
    /// outside its timings). The working set peaks are mostly garbage the server GC has not
    /// collected yet on a machine with memory to spare, plus the memory-mapped index files.
    /// </summary>
    private static double LiveHeapMiB()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: false) / 1048576.0;
    }

    /// <summary>Process CPU time per update of the last round (every thread: senders, indexer, log, GC).</summary>
    private double LastCpuMicroseconds { get; set; }

    public async ValueTask DisposeAsync()
    {
        _memory.Dispose();
        await _services.DisposeAsync();
        Store.Dispose();
    }
}
