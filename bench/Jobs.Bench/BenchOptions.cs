using System.Globalization;

namespace Jobs.Bench;

/// <summary>
/// Command line: <c>[all|store|updates|search|api] [--sizes 10000,100000,1000000] [--reps 3]
/// [--quick] [--senders 4] [--writers 32] [--queries 200] [--updates 20000] [--api-requests 10000]
/// [--api-concurrency 1,8,32,200] [--out bench/results] [--data DIR] [--seed 42] [--keep] [--sqlite]</c>.
/// </summary>
internal sealed class BenchOptions
{
    public string Command { get; private set; } = "all";

    public List<int> Sizes { get; private set; } = [10_000, 100_000, 1_000_000];

    public int Repetitions { get; private set; } = 3;

    public bool Quick { get; private set; }

    /// <summary>Concurrent batches through the consumer core (the poller's MaxConcurrentBatches).</summary>
    public int Senders { get; private set; } = 4;

    /// <summary>Concurrent creators while the corpus is built.</summary>
    public int Writers { get; private set; } = 32;

    /// <summary>Timed queries of each kind per repetition and size.</summary>
    public int Queries { get; private set; } = 200;

    /// <summary>Updates per repetition for batch sizes 10 and 100 (batch 1 and the naive baseline send a fifth).</summary>
    public int Updates { get; private set; } = 10_000;

    public int ApiRequests { get; private set; } = 10_000;

    public List<int> ApiConcurrency { get; private set; } = [1, 8, 32, 200];

    public string Output { get; private set; } = Path.Combine("bench", "results");

    public string? DataPath { get; private set; }

    public int Seed { get; private set; } = 42;

    public bool Keep { get; private set; }

    /// <summary>Where heap snapshots go after each ingest (<see cref="HeapDump"/>), or null for none.</summary>
    public string? GcDump { get; private set; }

    /// <summary>Also run the SQLite peer (bench/Jobs.Bench/SqlitePeer.cs) after the embedded store at each size (<c>all</c> does unless <c>--no-sqlite</c>).</summary>
    public bool Sqlite { get; private set; }

    /// <summary>Updates of the long-job figure that <c>all</c> measures after the sizes, once per repetition (0: not measured).</summary>
    public int LongJobUpdates { get; private set; } = 10_000;

    /// <summary>Store only: run the updates through the previous store code paths too (before/after, see docs/BENCHMARKS.md).</summary>
    public bool Compare { get; private set; }

    public string CommandLine { get; private set; } = "";

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public bool Runs(string phase) => Command == "all" || Command == phase;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions { CommandLine = "dotnet run -c Release --project bench/Jobs.Bench --" + string.Concat(args.Select(a => " " + a)) };
        var explicitSizes = false;
        var noSqlite = false;
        var explicitLongJob = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            List<int> Ints() => [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseSize)];
            switch (args[i])
            {
                case "all" or "store" or "updates" or "search" or "api":
                    o.Command = args[i];
                    break;
                case "--sizes":
                    o.Sizes = [.. Ints().Order()];
                    explicitSizes = true;
                    break;
                case "--reps":
                    o.Repetitions = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--quick":
                    o.Quick = true;
                    break;
                case "--senders":
                    o.Senders = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--writers":
                    o.Writers = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--queries":
                    o.Queries = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--updates":
                    o.Updates = ParseSize(Next());
                    break;
                case "--api-requests":
                    o.ApiRequests = ParseSize(Next());
                    break;
                case "--api-concurrency":
                    o.ApiConcurrency = Ints();
                    break;
                case "--out":
                    o.Output = Next();
                    break;
                case "--data":
                    o.DataPath = Next();
                    break;
                case "--seed":
                    o.Seed = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--keep":
                    o.Keep = true;
                    break;
                case "--gcdump":
                    o.GcDump = Next();
                    break;
                case "--sqlite":
                    o.Sqlite = true;
                    break;
                case "--no-sqlite":
                    noSqlite = true;
                    break;
                case "--long-job":
                    o.LongJobUpdates = ParseSize(Next());
                    explicitLongJob = true;
                    break;
                case "--compare":
                    o.Compare = true;
                    break;
                case "-h" or "--help":
                    throw new ArgumentException("help");
                default:
                    throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        if (o.Quick)
        {
            // A smoke run for CI: every phase, small numbers, one repetition unless asked.
            if (!explicitSizes)
            {
                o.Sizes = [2_000, 10_000];
            }

            o.Repetitions = args.Contains("--reps") ? o.Repetitions : 1;
            o.Queries = Math.Min(o.Queries, 30);
            o.Updates = Math.Min(o.Updates, 2_000);
            o.ApiRequests = Math.Min(o.ApiRequests, 1_000);
            o.LongJobUpdates = explicitLongJob ? o.LongJobUpdates : 1_000;
        }

        // The one command of docs/BENCHMARKS.md runs the peer and the long job too.
        o.Sqlite = !noSqlite && (o.Sqlite || o.Command == "all");
        o.LongJobUpdates = o.Command == "all" ? o.LongJobUpdates : 0;

        return o;
    }

    private static int ParseSize(string text)
    {
        text = text.Trim().ToLowerInvariant();
        var factor = text.EndsWith('k') ? 1_000 : text.EndsWith('m') ? 1_000_000 : 1;
        return int.Parse(factor == 1 ? text : text[..^1], CultureInfo.InvariantCulture) * factor;
    }

    public const string Usage = """
        dotnet run -c Release --project bench/Jobs.Bench -- [all|store|updates|search|api] [options]
          all       (default) the store phases (ingest, updates, search, memory, disk), the API and the SQLite peer
                    at every size, then the long job (10,000 updates of one job), every one --reps times
          store     ingest, updates and search on the embedded store, no API
          updates   ingest + updates only;  search: ingest + search only;  api: ingest + API creates only
        options:
          --sizes 10k,100k,1M   corpus sizes (grown in one store, measured at each)
          --reps 3              repetitions of every measurement (medians are reported)
          --quick               smoke run: sizes 2k,10k, one repetition, small counts
          --senders 4           concurrent consumer batches;  --writers 32  concurrent creators
          --queries 200         timed queries per kind;  --updates 10000  updates per mode and repetition (batches 10, 100; batch 1: a fifth, naive: a tenth)
          --api-requests 10000  POSTs per concurrency level;  --api-concurrency 1,8,32,200
          --out bench/results   where results.json and results.md go;  --data DIR  scratch directory
          --seed 42             corpus seed;  --keep  keep the scratch directory
          --gcdump DIR          a heap snapshot (dotnet-gcdump) and its report after each ingest
          --sqlite              also run the SQLite peer (same corpus, queries and updates) after the store at each size
          --no-sqlite           all without the SQLite peer;  --long-job 10000  updates of the long job in all (0: none)
          --compare             also run the updates through the store's previous per-update path (before/after)
        """;
}
