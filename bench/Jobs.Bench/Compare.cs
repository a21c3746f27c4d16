using System.Globalization;
using System.Text.Json;

namespace Jobs.Bench;

/// <summary>
/// <c>compare BEFORE_DIR AFTER_DIR</c>: every figure's median over the results.json files under
/// each directory (one per round of bench/compare.sh), and the ratio after/before, as Markdown.
/// </summary>
internal static class Compare
{
    public static int Run(string before, string after)
    {
        var a = Load(before);
        var b = Load(after);
        Console.WriteLine($"| section | figure | size | before | after | after / before |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var (key, runs) in a)
        {
            if (!b.TryGetValue(key, out var afterRuns))
            {
                continue;
            }

            var x = Stats.Median(runs);
            var y = Stats.Median(afterRuns);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {key.Section} | {key.Name} ({key.Unit}) | {Results.SizeName(key.Size)} | {Results.Format(x)} | {Results.Format(y)} | {y / x:0.00}x |"));
        }

        return 0;
    }

    private static Dictionary<(string Section, string Name, int Size, string Unit), List<double>> Load(string directory)
    {
        var figures = new Dictionary<(string, string, int, string), List<double>>();
        foreach (var file in Directory.EnumerateFiles(directory, "results.json", SearchOption.AllDirectories).Order())
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var f in json.RootElement.GetProperty("figures").EnumerateArray())
            {
                var key = (f.GetProperty("Section").GetString()!, f.GetProperty("Name").GetString()!, f.GetProperty("Size").GetInt32(), f.GetProperty("Unit").GetString()!);
                if (!figures.TryGetValue(key, out var list))
                {
                    figures[key] = list = [];
                }

                var median = f.GetProperty("median");
                list.Add(median.ValueKind == JsonValueKind.Number ? median.GetDouble() : double.NaN);
            }
        }

        return figures;
    }
}
