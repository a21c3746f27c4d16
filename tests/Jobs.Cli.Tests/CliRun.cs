using Jobs.Cli;

namespace Jobs.Cli.Tests;

/// <summary>Runs <c>jobsctl</c> in-process with a given environment and captures what it prints.</summary>
internal static class CliRun
{
    public sealed record Result(int ExitCode, string Out, string Error, int Waits);

    /// <param name="environment">The variables jobsctl sees (nothing else of the test process).</param>
    /// <param name="handler">HTTP handler (null: real sockets).</param>
    /// <param name="onWait">Called instead of each wait between attempts or polls, with the wait's number (1, 2, …).</param>
    /// <param name="stdin">What jobsctl reads from standard input.</param>
    /// <param name="time">The clock (a fake one advances by each wait).</param>
    public static async Task<Result> RunAsync(
        IReadOnlyDictionary<string, string?> environment,
        HttpMessageHandler? handler,
        string[] args,
        Func<int, Task>? onWait = null,
        string stdin = "",
        Microsoft.Extensions.Time.Testing.FakeTimeProvider? time = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var waits = 0;
        var context = new CliContext(environment, TextWriter.Synchronized(output), TextWriter.Synchronized(error))
        {
            HttpHandler = handler,
            In = new StringReader(stdin),
            Time = time ?? TimeProvider.System,
            Delay = async (wait, _) =>
            {
                time?.Advance(wait);
                var n = Interlocked.Increment(ref waits);
                if (onWait is not null)
                {
                    await onWait(n);
                }
            },
        };
        var code = await JobsCli.RunAsync(args, context, CancellationToken.None);
        return new Result(code, output.ToString(), error.ToString(), waits);
    }

    public static Task<Result> RunAsync(IReadOnlyDictionary<string, string?> environment, HttpMessageHandler? handler, params string[] args) =>
        RunAsync(environment, handler, args, null);

    public static Task<Result> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), null, args);
}
