using System.Globalization;
using System.Text;

namespace Jobs.Bench;

/// <summary>
/// The two tables at the top of results.md: issue 17's targets with the measured medians and
/// whether each is met (computed from the numbers, at the largest size run), and every figure
/// that the SQLite peer also measures, as Jobs : SQLite and, for batched updates, Jobs : naive.
/// </summary>
internal static class Report
{
    private sealed record Target(string Figure, string Goal, string Section, Func<Figure, bool> Pick, bool AtLeast, double Threshold);

    private static IEnumerable<Target> Targets(BenchOptions options) =>
    [
        new("updates/s, batch 100, 4 senders", "≥ 20,000", "Updates (consumer core)", f => f.Name == $"batch 100, {options.Senders} senders", true, 20_000),
        new("ratio batch 100 : naive, same run", "≥ 10x", "Updates (consumer core)", f => f.Name == "ratio batch 100 : naive", true, 10),
        new("update time at 10,000 earlier updates of the job : at 100", "≤ 1.2x", LongJobBench.Section, f => f.Name.EndsWith(": at 100", StringComparison.Ordinal), false, 1.2),
        new("live managed heap right after ingesting (full GC)", "≤ 256 MiB", "Memory and disk", f => f.Name == "live managed heap after ingest (full GC)", false, 256),
        new("peak working set while ingesting", "≤ 1 GiB", "Memory and disk", f => f.Name == "peak working set while ingesting", false, 1024),
        new("peak working set while searching", "≤ 1 GiB", "Memory and disk", f => f.Name == "peak working set while searching", false, 1024),
        new("peak working set while updating", "≤ 1 GiB", "Memory and disk", f => f.Name == "peak working set while updating", false, 1024),
        new("terms aggregation on `status` over every job, p99", "≤ 10 ms", "Search", f => f.Name == "terms aggregation on status p99", false, 10),
        new("API creates/s at 200 concurrent clients (loopback, keep-alive)", "≥ 12,000", "Ingest (API, loopback HTTP)", f => f.Name == "jobs created/s, 200 concurrent clients", true, 12_000),
        new("API create p99 at 200 concurrent clients", "≤ 50 ms", "Ingest (API, loopback HTTP)", f => f.Name == "POST p99, 200 concurrent clients", false, 50),
        new("label + status sorted page p99", "≤ 10 ms", "Search", f => f.Name == "label + status, sort created desc (size 10) p99", false, 10),
    ];

    /// <summary>Issue 17's targets at the largest size measured (the long job has no size).</summary>
    public static void AppendTargets(StringBuilder md, Results results, BenchOptions options)
    {
        md.AppendLine("### Issue 17's targets");
        md.AppendLine();
        md.AppendLine("At the largest size of the run (1M jobs unless the size column says otherwise); median of the repetitions, min–max in brackets; met or missed is decided on the median.");
        md.AppendLine();
        md.AppendLine("| figure | target | size | measured | |");
        md.AppendLine("| --- | ---: | ---: | ---: | --- |");
        foreach (var target in Targets(options))
        {
            var figure = results.Figures.Where(f => f.Section == target.Section && target.Pick(f) && f.Runs.Count > 0).MaxBy(f => f.Size);
            if (figure is null)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {target.Figure} | {target.Goal} | – | not measured in this run | – |");
                continue;
            }

            bool Meets(double v) => target.AtLeast ? v >= target.Threshold : v <= target.Threshold;
            var verdict = !Meets(figure.Median) ? "**missed**" : figure.Runs.All(Meets) ? "met" : "met (median; not every run)";
            // The long job has no corpus size; a short run (--quick) measures fewer updates than 10,000.
            var size = figure.Size == 0 ? "one job" : Results.SizeName(figure.Size);
            var what = figure.Size == 0 && !figure.Name.StartsWith("update at 10,000 ", StringComparison.Ordinal) ? $" ({figure.Name})" : "";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {target.Figure} | {target.Goal} | {size} | {Results.Cell(figure)} {figure.Unit}{what} | {verdict} |");
        }

        md.AppendLine();
    }

    /// <summary>Every figure the SQLite peer measures too, side by side, per size.</summary>
    public static void AppendPeers(StringBuilder md, Results results)
    {
        var ratios = results.Figures.Where(f => f.Section == SqliteBench.RatioSection).ToList();
        if (ratios.Count == 0)
        {
            return;
        }

        md.AppendLine("### Jobs : SQLite and Jobs : naive");
        md.AppendLine();
        md.AppendLine("Jobs : SQLite is how many times faster the embedded store was than the SQLite peer in the same repetition (rates: Jobs / SQLite; times: SQLite / Jobs; below 1, SQLite was faster), median (min–max) of the repetitions. " +
            "Jobs : naive is the embedded store's batched updates against its own one-message-at-a-time baseline in the same repetition.");
        md.AppendLine();
        md.AppendLine("| figure | size | Jobs | SQLite | Jobs : SQLite | Jobs : naive |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (section, jobsName, peerName, _) in SqliteBench.Figures)
        {
            var first = true;
            foreach (var size in ratios.Select(f => f.Size).Distinct().Order())
            {
                var jobs = Find(results, section, jobsName, size);
                var peer = Find(results, SqliteBench.Section, peerName, size);
                var ratio = Find(results, SqliteBench.RatioSection, $"{section}: {jobsName}", size);
                if (jobs is null && peer is null)
                {
                    continue;
                }

                var naive = section == "Updates (consumer core)" && jobsName.StartsWith("batch", StringComparison.Ordinal)
                    ? NaiveRatio(jobs, Find(results, section, "naive: 1 message at a time, awaited", size))
                    : "–";
                var unit = (jobs ?? peer)!.Unit;
                var label = first ? $"{section}: {jobsName} ({unit})" : "";
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {label} | {Results.SizeName(size)} | {Cell(jobs)} | {Cell(peer)} | {Cell(ratio)} | {naive} |");
                first = false;
            }
        }

        md.AppendLine();
    }

    private static Figure? Find(Results results, string section, string name, int size) =>
        results.Figures.FirstOrDefault(f => f.Section == section && f.Name == name && f.Size == size && f.Runs.Count > 0);

    private static string Cell(Figure? f) => f is null ? "–" : Results.Cell(f);

    /// <summary>Batched rate over the naive rate, per repetition; median (min–max).</summary>
    private static string NaiveRatio(Figure? batched, Figure? naive)
    {
        if (batched is null || naive is null)
        {
            return "–";
        }

        var runs = batched.Runs.Zip(naive.Runs, (b, n) => n > 0 ? b / n : double.NaN).ToList();
        var median = Stats.Median(runs);
        return runs.Count < 2 ? Results.Format(median) : $"{Results.Format(median)} ({Results.Format(runs.Min())}–{Results.Format(runs.Max())})";
    }
}
