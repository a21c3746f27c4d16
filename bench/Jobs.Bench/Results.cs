using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Jobs.Bench;

/// <summary>One figure at one size, measured once per repetition; the median is what is quoted.</summary>
internal sealed record Figure(string Section, string Name, int Size, string Unit)
{
    public List<double> Runs { get; } = [];

    public double Median => Stats.Median(Runs);
}

/// <summary>Every figure of a run, and the notes that explain them; written as JSON and Markdown.</summary>
internal sealed class Results(BenchOptions options)
{
    private readonly List<Figure> _figures = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public Figure Add(string section, string name, int size, string unit, double value)
    {
        var figure = _figures.FirstOrDefault(f => f.Section == section && f.Name == name && f.Size == size);
        if (figure is null)
        {
            _figures.Add(figure = new Figure(section, name, size, unit));
        }

        figure.Runs.Add(value);
        return figure;
    }

    public double? MedianOf(string section, string name, int size) =>
        _figures.FirstOrDefault(f => f.Section == section && f.Name == name && f.Size == size)?.Median;

    public void Note(string note) => _notes.Add(note);

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var json = new
        {
            command = options.CommandLine,
            machine = Machine.Describe(),
            started = options.Started,
            sizes = options.Sizes,
            repetitions = options.Repetitions,
            notes = _notes,
            figures = _figures.Select(f => new { f.Section, f.Name, f.Size, f.Unit, median = f.Median, runs = f.Runs }),
        };
        File.WriteAllText(Path.Combine(directory, "results.json"),
            JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        File.WriteAllText(Path.Combine(directory, "results.md"), ToMarkdown());
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `{options.CommandLine}`  ");
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine.Describe()}  ");
        md.AppendLine(CultureInfo.InvariantCulture, $"Started {options.Started:u}; medians of {options.Repetitions} repetitions (min–max in brackets).");
        md.AppendLine();
        Report.AppendTargets(md, this, options);
        Report.AppendPeers(md, this);
        // The per-repetition ratios are in the table above.
        foreach (var section in _figures.Select(f => f.Section).Distinct().Where(s => s != SqliteBench.RatioSection))
        {
            var figures = _figures.Where(f => f.Section == section).ToList();
            var sizes = figures.Select(f => f.Size).Distinct().Order().ToList();
            md.AppendLine(CultureInfo.InvariantCulture, $"### {section}");
            md.AppendLine();
            md.Append("| figure | unit |");
            foreach (var size in sizes)
            {
                md.Append(CultureInfo.InvariantCulture, $" {SizeName(size)} |");
            }

            for (var s = 1; s < sizes.Count; s++)
            {
                md.Append(CultureInfo.InvariantCulture, $" {SizeName(sizes[s])} / {SizeName(sizes[s - 1])} |");
            }

            md.AppendLine();
            md.Append("| --- | --- |");
            md.Append(string.Concat(Enumerable.Repeat(" ---: |", sizes.Count * 2 - 1)));
            md.AppendLine();
            foreach (var name in figures.Select(f => f.Name).Distinct())
            {
                var row = sizes.Select(size => figures.FirstOrDefault(f => f.Name == name && f.Size == size)).ToList();
                md.Append(CultureInfo.InvariantCulture, $"| {name} | {row.First(f => f is not null)!.Unit} |");
                foreach (var f in row)
                {
                    md.Append(' ').Append(f is null ? "–" : Cell(f)).Append(" |");
                }

                for (var s = 1; s < row.Count; s++)
                {
                    var ratio = row[s] is { } b && row[s - 1] is { } a && a.Median > 0 ? b.Median / a.Median : double.NaN;
                    md.Append(CultureInfo.InvariantCulture, $" {(double.IsNaN(ratio) ? "–" : ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x")} |");
                }

                md.AppendLine();
            }

            md.AppendLine();
        }

        if (_notes.Count > 0)
        {
            md.AppendLine("Notes:");
            md.AppendLine();
            foreach (var note in _notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        return md.ToString();
    }

    public static string SizeName(int size) => size switch
    {
        0 => "–",
        >= 1_000_000 when size % 1_000_000 == 0 => $"{size / 1_000_000}M",
        >= 1_000 when size % 1_000 == 0 => $"{size / 1_000}k",
        _ => size.ToString(CultureInfo.InvariantCulture),
    };

    public static string Cell(Figure f)
    {
        var median = Format(f.Median);
        if (f.Runs.Count < 2)
        {
            return median;
        }

        return $"{median} ({Format(f.Runs.Min())}–{Format(f.Runs.Max())})";
    }

    public static string Format(double v) => double.IsNaN(v) ? "n/a" : Math.Abs(v) switch
    {
        >= 100 => v.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => v.ToString("0.0", CultureInfo.InvariantCulture),
        _ => v.ToString("0.00", CultureInfo.InvariantCulture),
    };
}

/// <summary>What the figures were measured on.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }

        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory:F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
               $".NET {Environment.Version}, {Gc()}, load average {load} at start";
    }

    /// <summary>The garbage collector the harness runs with (the API host's: see the project files).</summary>
    public static string Gc()
    {
        var settings = GC.GetConfigurationVariables();
        var mode = System.Runtime.GCSettings.IsServerGC ? "Server GC" : "workstation GC";
        var datas = settings.TryGetValue("GCDynamicAdaptationMode", out var d) && Convert.ToInt64(d, CultureInfo.InvariantCulture) == 1 ? " with DATAS" : "";
        var conserve = settings.TryGetValue("GCConserveMemory", out var c) && Convert.ToInt64(c, CultureInfo.InvariantCulture) > 0 ? $", GCConserveMemory {c}" : "";
        var limit = settings.TryGetValue("GCHeapHardLimit", out var l) && Convert.ToInt64(l, CultureInfo.InvariantCulture) > 0 ? $", heap limit {Convert.ToInt64(l, CultureInfo.InvariantCulture) >> 20} MiB" : "";
        return mode + datas + conserve + limit;
    }
}
