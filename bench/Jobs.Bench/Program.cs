using System.Diagnostics;
using Jobs.Bench;
using Spectre.Console;

// End-to-end benchmarks of the embedded store and the API (docs/BENCHMARKS.md):
//   dotnet run -c Release --project bench/Jobs.Bench -- all            (everything: 10k, 100k, 1M jobs, the SQLite peer, the long job; 3 repetitions)
//   dotnet run -c Release --project bench/Jobs.Bench -- all --quick    (smoke run: 2k, 10k; 1 repetition)
//   dotnet run -c Release --project bench/Jobs.Bench -- store --sqlite (the embedded store and the SQLite peer, same run)
//   dotnet run -c Release --project bench/Jobs.Bench -- long-job [updates] (one job, 10,000 updates: time and document size)
//   dotnet run -c Release --project bench/Jobs.Bench -- delivery [changes] (events/s through the outbox to a webhook, change-to-webhook p50/p99)
if (args is ["compare", var beforeDirectory, var afterDirectory])
{
    return Compare.Run(beforeDirectory, afterDirectory);
}

if (args is ["delivery", ..])
{
    return await DeliveryBench.RunAsync(Path.Combine(Path.GetTempPath(), "jobs-bench", Guid.NewGuid().ToString("N")), args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
}

if (args is ["long-job", ..])
{
    return await LongJobBench.RunAsync(Path.Combine(Path.GetTempPath(), "jobs-bench", Guid.NewGuid().ToString("N")), args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    if (e.Message != "help")
    {
        Console.Error.WriteLine(e.Message);
    }

    Console.Error.WriteLine(BenchOptions.Usage);
    return e.Message == "help" ? 0 : 64;
}

var root = RepositoryRoot();
var output = Path.GetFullPath(Path.Combine(root, options.Output));
var scratch = options.DataPath ?? Path.Combine(Path.GetTempPath(), "jobs-bench", Guid.NewGuid().ToString("N"));
var results = new Results(options);
AnsiConsole.MarkupLine($"[bold]Jobs benchmarks[/]: {Markup.Escape(options.Command)}, sizes {string.Join(", ", options.Sizes.Select(Results.SizeName))}, " +
    $"{options.Repetitions} repetitions; scratch {Markup.Escape(scratch)}");
AnsiConsole.MarkupLine($"[grey]{Markup.Escape(Machine.Describe())}[/]");

var total = Stopwatch.StartNew();
try
{
    await using var store = new StoreBench(options, results, Path.Combine(scratch, "store"));
    await store.DeploySeedProcessAsync();
    var api = new ApiBench(options, results, root);
    var sqlite = options.Sqlite ? new SqliteBench(options, results, Path.Combine(scratch, "sqlite")) : null;
    foreach (var size in options.Sizes)
    {
        var name = Results.SizeName(size);
        var clock = Stopwatch.StartNew();
        await Phase($"ingest to {name} jobs", p => store.GrowToAsync(size, p));
        results.Note($"Growing the corpus to {name} jobs took {clock.Elapsed.TotalSeconds:F0} s of wall time (generation included).");
        await store.MeasureDiskAsync(size);
        if (options.Runs("search") || options.Runs("store"))
        {
            await Phase($"search at {name}", p => store.SearchAsync(size, p));
        }

        if (options.Runs("updates") || options.Runs("store"))
        {
            await Phase($"updates at {name}", p => store.UpdatesAsync(size, p));
        }

        if (options.Runs("api"))
        {
            await store.Store.CheckpointAsync();
            await Phase($"API creates at {name}", p => api.RunAsync(store.DataPath, scratch, size, p));
        }

        if (sqlite is not null)
        {
            await Phase($"SQLite peer at {name}", p => sqlite.RunAsync(size, p));
        }

        Show(results, size);
        results.Write(output);
    }

    if (options.LongJobUpdates > 0)
    {
        await Phase($"long job: {options.LongJobUpdates:N0} updates of one job, {options.Repetitions} times", async p =>
        {
            for (var rep = 0; rep < options.Repetitions; rep++)
            {
                await LongJobBench.AddToAsync(results, scratch, options.LongJobUpdates);
                p((rep + 1.0) / options.Repetitions);
            }
        });
        results.Write(output);
    }
}
finally
{
    if (!options.Keep && Directory.Exists(scratch))
    {
        Directory.Delete(scratch, recursive: true);
    }
}

results.Note($"The whole run took {total.Elapsed.TotalMinutes:F1} min.");
results.Write(output);
AnsiConsole.MarkupLine($"[green]done[/] in {total.Elapsed.TotalMinutes:F1} min: {Markup.Escape(Path.Combine(output, "results.md"))} and results.json");
return 0;

static async Task Phase(string title, Func<Action<double>, Task> run)
{
    var clock = Stopwatch.StartNew();
    await AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
        .StartAsync(async ctx =>
        {
            var task = ctx.AddTask(title, maxValue: 1.0);
            await run(v => task.Value = Math.Min(1.0, v));
            task.Value = 1.0;
        });
    if (Console.IsOutputRedirected)
    {
        Console.WriteLine($"{title}: {clock.Elapsed.TotalSeconds:F1} s");
    }
}

static void Show(Results results, int size)
{
    var table = new Table().Title($"{Results.SizeName(size)} jobs").AddColumns("section", "figure", "median", "unit", "runs");
    foreach (var f in results.Figures.Where(f => f.Size == size))
    {
        table.AddRow(Markup.Escape(f.Section), Markup.Escape(f.Name), Results.Format(f.Median), Markup.Escape(f.Unit),
            string.Join(" ", f.Runs.Select(Results.Format)));
    }

    AnsiConsole.Write(table);
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Jobs.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
