using BenchmarkDotNet.Running;

// Micro-benchmarks of the update hot path (docs/BENCHMARKS.md):
//   dotnet run -c Release --project bench/Jobs.Benchmarks -- --filter '*'
//   dotnet run -c Release --project bench/Jobs.Benchmarks -- --filter '*' --job short    (quicker, less precise)
// They run in-process: BenchmarkDotNet's generated project cannot tell our root namespace `Jobs`
// from its own `BenchmarkDotNet.Jobs`.
string[] arguments = args.Contains("--inProcess") ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(Jobs.Benchmarks.UpdatePathBenchmarks).Assembly).Run(arguments);
