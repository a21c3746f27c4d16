using System.Diagnostics;
using System.Globalization;
using System.Text;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;

namespace Jobs.Bench;

/// <summary>
/// The SQLite peer's phases (<c>--sqlite</c>), after the embedded store's at each size, in the
/// same process: the same corpus, the same queries with the same parameters, the same update
/// messages decoded by the same reader and merged by the same Core function. Its figures go to
/// the "SQLite peer" section under the embedded store's figure names, and "Jobs : SQLite" holds,
/// per repetition, how many times faster the embedded store is (above 1: Jobs is faster).
/// </summary>
internal sealed class SqliteBench
{
    public const string Section = "SQLite peer";
    public const string RatioSection = "Jobs : SQLite";

    /// <summary>Durable creates timed per size; the rest of the corpus is loaded in large transactions (one fsync per transaction would take an hour at 1M).</summary>
    private const int TimedCreates = 5_000;

    private const int RecentJobs = 50_000;

    /// <summary>How long the timed queries of one kind may take per repetition, once <see cref="MinimumQueries"/> ran.</summary>
    private static readonly TimeSpan QueryBox = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan WarmUpBox = TimeSpan.FromSeconds(3);

    private const int MinimumQueries = 20;

    /// <summary>The embedded store's figure and the peer's that does the same work, by section.</summary>
    private static readonly (string Section, string Jobs, string Peer, bool Rate)[] Pairs =
    [
        ("Ingest (store)", "jobs created/s (32 writers)", "jobs created/s (1 writer, one transaction per create)", true),
        ("Ingest (store)", "create p99", "create p99", false),
        ("Search", "label + status, sort created desc (size 10) p50", "label + status, sort created desc (size 10) p50", false),
        ("Search", "label + status, sort created desc (size 10) p99", "label + status, sort created desc (size 10) p99", false),
        ("Search", "date-range count p50", "date-range count p50", false),
        ("Search", "date-range count p99", "date-range count p99", false),
        ("Search", "terms aggregation on status p50", "terms aggregation on status p50", false),
        ("Search", "terms aggregation on status p99", "terms aggregation on status p99", false),
        ("Search", "query_string on message (size 10) p50", "query_string on message (size 10) p50", false),
        ("Search", "query_string on message (size 10) p99", "query_string on message (size 10) p99", false),
        ("Search", "deep paging: search_after through 100 pages of 10 (whole walk) p50", "deep paging: search_after through 100 pages of 10 (whole walk) p50", false),
        ("Search", "deep paging: search_after through 100 pages of 10 (whole walk) p99", "deep paging: search_after through 100 pages of 10 (whole walk) p99", false),
        ("Updates (consumer core)", "naive: 1 message at a time, awaited", "naive: 1 message at a time, awaited", true),
        ("Updates (consumer core)", "batch 100, 4 senders", "batch 100, 1 writer, one transaction per batch", true),
        ("Updates: CPU per update", "naive: 1 message at a time, awaited", "CPU per update, naive", false),
        ("Updates: CPU per update", "batch 100, 4 senders", "CPU per update, batch 100", false),
    ];

    private readonly BenchOptions _options;
    private readonly Results _results;
    private readonly Corpus _corpus;
    private readonly string _path;
    private SqlitePeer _db = null!;
    private int _count;
    private int _serial;
    private long _clock;

    public SqliteBench(BenchOptions options, Results results, string directory)
    {
        _options = options;
        _results = results;
        _corpus = new Corpus(options.Seed);
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "jobs.db");
    }

    /// <summary>As the embedded store's phases: every search repetition first, then every update repetition (updates change statuses).</summary>
    /// <remarks>
    /// The database is open only during its own phase: its page cache and memory map would
    /// otherwise count in the working set the embedded store's phases measure at the next size.
    /// </remarks>
    public async Task RunAsync(int size, Action<double> progress)
    {
        using var db = _db = new SqlitePeer(_path);
        Grow(size);
        _results.Add(Section, "database on disk per 1,000 jobs", size, "KiB", _db.DiskBytes() / 1024.0 / (size / 1000.0));
        for (var rep = 0; rep < _options.Repetitions; rep++)
        {
            if (_options.Runs("search") || _options.Runs("store"))
            {
                Search(size);
            }

            progress((rep + 1.0) / (2 * _options.Repetitions));
        }

        for (var rep = 0; rep < _options.Repetitions; rep++)
        {
            if (_options.Runs("updates") || _options.Runs("store"))
            {
                await UpdatesAsync(size);
            }

            Ratios(size, rep);
            progress((_options.Repetitions + rep + 1.0) / (2 * _options.Repetitions));
        }
    }

    private void Grow(int size)
    {
        var timed = Math.Min(TimedCreates, size - _count);
        var latencies = new List<double>(timed);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < timed; i++)
        {
            var job = _corpus.Job(_count);
            var t = Stopwatch.GetTimestamp();
            _db.Create([job]);
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            _count++;
        }

        // Generation is inside this clock (it is outside the embedded store's): about 20 µs a job, noted.
        _results.Add(Section, Pairs[0].Peer, size, "jobs/s", timed / clock.Elapsed.TotalSeconds);
        _results.Add(Section, "create p50", size, "ms", Stats.Percentile(latencies, 50));
        _results.Add(Section, "create p99", size, "ms", Stats.Percentile(latencies, 99));
        while (_count < size)
        {
            var chunk = Enumerable.Range(_count, Math.Min(10_000, size - _count)).Select(_corpus.Job).ToList();
            _db.Create(chunk);
            _count += chunk.Count;
        }

        _results.Note($"SQLite peer at {Results.SizeName(size)}: {timed:N0} creates timed one transaction each; the rest of the {size:N0} jobs loaded in transactions of 10,000.");
    }

    private void Search(int size)
    {
        var first = _corpus.CreatedAt(0).ToUnixTimeMilliseconds();
        var last = _corpus.CreatedAt(size - 1).ToUnixTimeMilliseconds();
        string[] statuses = ["running", "succeeded", "failed", "submitted"];
        string[] words = ["granule", "calibration", "staging", "retrieval", "orbit", "checksum"];
        Time("label + status, sort created desc (size 10)", i =>
            Expect(_db.LabelAndStatus(Corpus.Labels[i % 8], statuses[i % statuses.Length]).Hits > 0, "label + status found nothing"));
        Time("date-range count", i =>
        {
            var span = (last - first) / 10;
            var from = first + ((last - first - span) * (i % 10) / 10);
            Expect(_db.CountCreated(from, from + span) > 0, "date range counted nothing");
        });
        Time("terms aggregation on status", _ => Expect(_db.CountByStatus().Count >= 4, "too few statuses"));
        Time("query_string on message (size 10)", i => _db.FullText(words[i % words.Length], words[(i + 1) % words.Length]));
        Time("deep paging: search_after through 100 pages of 10 (whole walk)", _ =>
        {
            (long, string)? after = null;
            for (var page = 0; page < 100; page++)
            {
                after = _db.Page(after);
                Expect(after is not null, "a page came back short");
            }
        }, Math.Max(3, _options.Queries / 40));

        void Time(string name, Action<int> query, int? times = null)
        {
            // Time-boxed: at 1M a SQLite label + status query takes about a second under load, and
            // 200 of them in each of 3 repetitions would be most of the run. The count is noted.
            var count = times ?? _options.Queries;
            var warmUp = Stopwatch.StartNew();
            for (var i = 0; i < Math.Max(2, count / 10) && (i < 2 || warmUp.Elapsed < WarmUpBox); i++)
            {
                query(i + 1_000_000);
            }

            var latencies = new List<double>(count);
            var box = Stopwatch.StartNew();
            for (var i = 0; i < count && (i < MinimumQueries || box.Elapsed < QueryBox); i++)
            {
                var t = Stopwatch.GetTimestamp();
                query(i);
                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            _results.Add(Section, $"{name} p50", size, "ms", Stats.Percentile(latencies, 50));
            _results.Add(Section, $"{name} p99", size, "ms", Stats.Percentile(latencies, 99));
            if (latencies.Count < count)
            {
                _results.Note($"SQLite peer at {Results.SizeName(size)}: {name} timed {latencies.Count} times, not {count} (the {QueryBox.TotalSeconds:F0} s each query kind may take).");
            }
        }
    }

    private async Task UpdatesAsync(int size)
    {
        var recent = Enumerable.Range(Math.Max(0, size - RecentJobs), Math.Min(size, RecentJobs))
            .Where(i => !Corpus.StatusOf(i).IsTerminal()).Select(_corpus.IdOf).ToArray();
        await RunUpdatesAsync(recent, 10, Math.Min(2_000, _options.Updates / 5)); // warm-up, not counted
        var (naive, naiveCpu) = await RunUpdatesAsync(recent, 1, _options.Updates / 10);
        _results.Add(Section, PeerName("naive: 1 message at a time, awaited", "Updates (consumer core)"), size, "updates/s", naive);
        _results.Add(Section, PeerName("naive: 1 message at a time, awaited", "Updates: CPU per update"), size, "µs", naiveCpu);
        var (hundred, hundredCpu) = await RunUpdatesAsync(recent, 100, _options.Updates);
        _results.Add(Section, PeerName("batch 100, 4 senders", "Updates (consumer core)"), size, "updates/s", hundred);
        _results.Add(Section, PeerName("batch 100, 4 senders", "Updates: CPU per update"), size, "µs", hundredCpu);
        _results.Add(Section, "ratio batch 100 : naive", size, "x", hundred / naive);
    }

    /// <summary>Each batch: decode every message as the consumer does, then one read-merge-write of its jobs in one transaction.</summary>
    private async Task<(double Rate, double CpuMicroseconds)> RunUpdatesAsync(string[] targets, int batchSize, int count)
    {
        var batches = new List<List<byte[]>>();
        for (var b = 0; b < count; b += batchSize)
        {
            var batch = new List<byte[]>(batchSize);
            for (var k = 0; k < Math.Min(batchSize, count - b); k++)
            {
                var n = ++_serial;
                var job = targets[(int)((uint)(n * 7919L) % (uint)targets.Length)];
                var time = Corpus.Epoch.AddDays(1).AddMilliseconds(++_clock);
                batch.Add(Encoding.UTF8.GetBytes(UpdateMessageWriter.ToJson(Corpus.Progress(job, $"sqlite-{n:D9}", time, n))));
            }

            batches.Add(batch);
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            var updates = batch.Select(body => UpdateMessageReader.Read(body) is { IsValid: true } read
                ? new JobUpdate(read.Value!, EventSources.Queue)
                : throw new InvalidOperationException("a generated update did not read")).ToList();
            var results = await UpdateBatches.ApplyAsync(updates, DateTimeOffset.UtcNow, _db, 3, CancellationToken.None);
            if (results.FirstOrDefault(r => !r.IsDone) is { } failed)
            {
                throw new InvalidOperationException($"update {failed.UpdateId}: {failed.Outcome} {failed.Reason}");
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return (count / seconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count);
    }

    /// <summary>How many times faster the embedded store was than SQLite in this repetition (rates: Jobs / SQLite; times: SQLite / Jobs).</summary>
    private void Ratios(int size, int rep)
    {
        foreach (var (section, jobsName, peerName, rate) in Pairs)
        {
            var jobs = _results.Figures.FirstOrDefault(f => f.Section == section && f.Name == jobsName && f.Size == size);
            var peer = _results.Figures.FirstOrDefault(f => f.Section == Section && f.Name == peerName && f.Size == size);
            if (jobs is not { Runs.Count: > 0 } || peer is not { Runs.Count: > 0 })
            {
                continue;
            }

            var j = jobs.Runs[Math.Min(rep, jobs.Runs.Count - 1)];
            var p = peer.Runs[Math.Min(rep, peer.Runs.Count - 1)];
            _results.Add(RatioSection, string.Create(CultureInfo.InvariantCulture, $"{section}: {jobsName}"), size, "x", rate ? j / p : p / j);
        }
    }

    /// <summary>The peer's name of the embedded store's figure.</summary>
    private static string PeerName(string jobs, string section) => Pairs.Single(p => p.Section == section && p.Jobs == jobs).Peer;

    /// <summary>The pairs of figures that do the same work (the embedded store's section and name, the peer's name, whether higher is better).</summary>
    public static IReadOnlyList<(string Section, string Jobs, string Peer, bool Rate)> Figures => Pairs;

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }
}
