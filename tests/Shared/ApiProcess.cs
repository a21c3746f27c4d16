using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Jobs.Tests.Shared;

/// <summary>
/// The built API (<c>src/Jobs.Api</c>'s Jobs.Api.dll) as a separate process on a free loopback
/// port, with the given environment, for tests that kill it with SIGKILL and start it again on the
/// same data. Linked into the test projects that need it.
/// </summary>
internal sealed class ApiProcess : IDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>A loopback URL on a port free now (the API binds it on start).</summary>
    public static string FreeUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    /// <summary>Starts the API on <paramref name="url"/> and returns once its health endpoint answers.</summary>
    public static async Task<ApiProcess> StartAsync(string url, IReadOnlyDictionary<string, string> environment, HttpClient http)
    {
        var dll = Path.Combine(RepositoryRoot(), "src", "Jobs.Api", "bin", Configuration(), "net10.0", "Jobs.Api.dll");
        Assert.True(File.Exists(dll), $"build the API first: {dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", url },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OTEL_SDK_DISABLED"] = "true";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, url);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(process.HasExited, "the API host exited while starting");
            try
            {
                using var health = await http.GetAsync($"{url}/health", patience.Token);
                if (health.IsSuccessStatusCode)
                {
                    return api;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100, patience.Token);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no checkpoint.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    /// <summary>Debug or Release: the test binaries' own (…/bin/&lt;configuration&gt;/net10.0/).</summary>
    private static string Configuration() =>
        Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Jobs.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("no Jobs.sln above the test binaries");
    }
}
