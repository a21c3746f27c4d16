using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jobs.Bench;

/// <summary>
/// <c>POST /processes/l1b-cwl:1/jobs</c> over loopback HTTP with keep-alive from concurrent
/// clients, against the API started as its own process on a copy of the store's data directory
/// (so the index holds the corpus of the current size).
/// </summary>
internal sealed class ApiBench(BenchOptions options, Results results, string repositoryRoot)
{
    public async Task RunAsync(string sourceData, string scratch, int size, Action<double> progress)
    {
        var copy = Path.Combine(scratch, $"api-{size}");
        var clock = Stopwatch.StartNew();
        CopyDirectory(sourceData, copy);
        var copySeconds = clock.Elapsed.TotalSeconds;
        var port = FreePort();
        using var api = StartApi(copy, port);
        using var memory = new MemorySampler(api);
        try
        {
            using var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = options.ApiConcurrency.Max(),
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            };
            using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            await WaitHealthyAsync(http, api);
            var body = await File.ReadAllBytesAsync(Path.Combine(repositoryRoot, "examples", "seed-execute.json"));

            // Warm-up (not counted) at the highest concurrency: the JIT, connections, thread pool.
            await PostManyAsync(http, body, options.ApiConcurrency.Max(), Math.Max(500, options.ApiRequests / 10));
            memory.TakePeak();
            var steps = options.Repetitions * options.ApiConcurrency.Count;
            var done = 0;
            for (var rep = 0; rep < options.Repetitions; rep++)
            {
                for (var c = 0; c < options.ApiConcurrency.Count; c++)
                {
                    var concurrency = options.ApiConcurrency[(c + rep) % options.ApiConcurrency.Count];
                    var (rate, latencies) = await PostManyAsync(http, body, concurrency, options.ApiRequests);
                    results.Add("Ingest (API, loopback HTTP)", $"jobs created/s, {concurrency} concurrent clients", size, "jobs/s", rate);
                    results.Add("Ingest (API, loopback HTTP)", $"POST p50, {concurrency} concurrent clients", size, "ms", Stats.Percentile(latencies, 50));
                    results.Add("Ingest (API, loopback HTTP)", $"POST p99, {concurrency} concurrent clients", size, "ms", Stats.Percentile(latencies, 99));
                    progress((double)++done / steps);
                }
            }

            results.Add("Memory and disk", "API process: peak working set while creating", size, "MiB", memory.TakePeak() / 1048576.0);
        }
        finally
        {
            try
            {
                api.Kill(entireProcessTree: true);
                await api.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }

            Directory.Delete(copy, recursive: true);
        }

        results.Note($"API at {Results.SizeName(size)}: copying the data directory for the API process took {copySeconds:F1} s (not measured).");
    }

    private static async Task<(double Rate, List<double> Latencies)> PostManyAsync(HttpClient http, byte[] body, int concurrency, int count)
    {
        var latencies = new double[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var t = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/processes/l1b-cwl:1/jobs", content);
                await response.Content.LoadIntoBufferAsync();
                latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));
        return (count / clock.Elapsed.TotalSeconds, [.. latencies]);
    }

    private Process StartApi(string dataPath, int port)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(repositoryRoot, "src", "Jobs.Api", "bin", configuration, "net10.0", "Jobs.Api.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"build the API first ({dll})");
        }

        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Jobs__Store"] = "embedded";
        start.Environment["Jobs__Embedded__DataPath"] = dataPath;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the API did not start");
        // Drain its output so that it never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"api: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitHealthyAsync(HttpClient http, Process api)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (api.HasExited)
            {
                throw new InvalidOperationException($"the API exited with {api.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the API did not become healthy");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == "write.lock")
            {
                continue;
            }

            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Copy(file, target);
            }
            catch (FileNotFoundException)
            {
                // A merge finished and dropped a file the last commit does not need.
            }
        }
    }
}
