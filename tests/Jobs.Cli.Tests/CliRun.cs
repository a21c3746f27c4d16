using Jobs.Cli;

namespace Jobs.Cli.Tests;

/// <summary>Runs <c>jobs</c> in-process with a given environment and captures what it prints.</summary>
internal static class CliRun
{
    public sealed record Result(int ExitCode, string Out, string Error, int Waits);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> environment, HttpMessageHandler? handler, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var waits = 0;
        var context = new CliContext(environment, output, error)
        {
            HttpHandler = handler,
            Delay = (_, _) =>
            {
                Interlocked.Increment(ref waits);
                return Task.CompletedTask;
            },
        };
        var code = await JobsCli.RunAsync(args, context, CancellationToken.None);
        return new Result(code, output.ToString(), error.ToString(), waits);
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), null, args);
}
