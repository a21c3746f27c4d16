using System.Diagnostics;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Updates;
using Jobs.Embedded;

namespace Jobs.Bench;

/// <summary>
/// One job with many progress updates (a long workflow reporting every few seconds), through the
/// embedded store's port one update at a time, awaited (each is fsynced): the median time of an
/// update and the size of the job's document at 100, 1,000, 5,000 and 10,000 earlier updates.
/// Uses only the store port and the corpus, so the same file measures an older revision too.
/// </summary>
internal static class LongJobBench
{
    private static readonly int[] Checkpoints = [100, 1_000, 5_000, 10_000];

    /// <summary>Updates timed around each checkpoint (the median of these is reported).</summary>
    private const int Window = 100;

    public const string Section = "Long job (one job, updates one at a time, each awaited)";

    /// <summary>The figure of issue 17's target: the update at the last checkpoint against the update at 100.</summary>
    public static string RatioName(int updates) => $"update at {Checkpoints.Where(c => c <= updates).Max():N0} earlier updates : at 100";

    /// <summary>The <c>long-job</c> command: one run, printed.</summary>
    public static async Task<int> RunAsync(string scratch, int updates)
    {
        var run = await MeasureAsync(scratch, updates);
        Console.WriteLine($"one job, {updates} updates one at a time through EmbeddedJobStore.ApplyAsync (each awaited, fsynced)");
        Console.WriteLine("| earlier updates | median update (ms), the 100 around | document (bytes) |");
        Console.WriteLine("|---:|---:|---:|");
        foreach (var (at, median, size) in run.Points)
        {
            Console.WriteLine($"| {at:N0} | {median:F2} | {size:N0} |");
        }

        Console.WriteLine($"a late update (older than the newest event) after {updates:N0}: {run.LateMs:F1} ms; the first history page of {run.HistoryCount}: {run.PageMs:F1} ms");
        return 0;
    }

    /// <summary>Part of <c>all</c>: one repetition's figures into the results (size "–": one job).</summary>
    public static async Task AddToAsync(Results results, string scratch, int updates)
    {
        var run = await MeasureAsync(scratch, updates);
        foreach (var (at, median, size) in run.Points)
        {
            results.Add(Section, $"median update at {at:N0} earlier updates", 0, "ms", median);
            results.Add(Section, $"job document at {at:N0} earlier updates", 0, "bytes", size);
        }

        results.Add(Section, RatioName(updates), 0, "x", run.Points[^1].Median / run.Points[0].Median);
        results.Add(Section, $"a late update (older than the newest event) after {updates:N0}", 0, "ms", run.LateMs);
    }

    private sealed record Run(List<(int At, double Median, int Size)> Points, double LateMs, int HistoryCount, double PageMs);

    private static async Task<Run> MeasureAsync(string scratch, int updates)
    {
        var path = Path.Combine(scratch, "long-job");
        try
        {
            using var store = new EmbeddedJobStore(new EmbeddedStoreOptions { DataPath = path });
            var corpus = new Corpus(42);
            var job = corpus.Job(Enumerable.Range(0, 1000).First(n => Corpus.StatusOf(n) == JobStatus.Running)) with { Id = "long-job" };
            await store.CreateAsync(job, CancellationToken.None);
            var times = new double[updates + 1];
            var sizes = new Dictionary<int, int>();
            var clock = new Stopwatch();
            for (var i = 1; i <= updates; i++)
            {
                // Content repeats every 100 updates, so the documents at the checkpoints differ only by what history would add.
                var message = Corpus.Progress(job.Id, $"u{i:D6}", Corpus.Epoch.AddDays(30).AddSeconds(i * 5), i % 100);
                clock.Restart();
                var result = (await store.ApplyAsync([new JobUpdate(message, EventSources.Queue)], CancellationToken.None))[0];
                times[i] = clock.Elapsed.TotalMilliseconds;
                if (!result.IsDone)
                {
                    throw new InvalidOperationException($"update {i}: {result.Outcome} {result.Reason}");
                }

                if (Checkpoints.Contains(i))
                {
                    sizes[i] = JobsJson.ToUtf8((await store.GetAsync(job.Id, CancellationToken.None))!).Length;
                }
            }

            // One late update (older than the newest event): the merge replays the job's events.
            var late = Corpus.Progress(job.Id, "late", Corpus.Epoch.AddDays(30).AddSeconds(7), 7);
            clock.Restart();
            await store.ApplyAsync([new JobUpdate(late, EventSources.Queue)], CancellationToken.None);
            var lateMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var history = await store.GetHistoryAsync(job.Id, null, 100, CancellationToken.None);
            var pageMs = clock.Elapsed.TotalMilliseconds;

            var points = new List<(int, double, int)>();
            foreach (var at in Checkpoints.Where(c => c <= updates))
            {
                var window = times.Skip(Math.Max(1, at - (Window / 2))).Take(Window).Order().ToList();
                points.Add((at, window[window.Count / 2], sizes[at]));
            }

            return new Run(points, lateMs, history.Events.Count, pageMs);
        }
        finally
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }
}
