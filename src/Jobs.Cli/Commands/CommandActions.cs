using System.CommandLine;
using Jobs.Cli.Client;
using Jobs.Cli.Config;

namespace Jobs.Cli.Commands;

/// <summary>
/// Wires a user command to the API: resolves the connection, opens a client, and turns a
/// <see cref="CliException"/> into its message on stderr and its exit code.
/// </summary>
internal static class CommandActions
{
    public static Command WithClient(this Command command, CliContext context, Func<ParseResult, JobsClient, CancellationToken, Task<int>> action)
    {
        var connection = new ConnectionOptions();
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(context, async () =>
        {
            using var client = new JobsClient(context, connection.Resolve(parse, context));
            return await action(parse, client, cancellationToken);
        }));
        return command;
    }

    public static async Task<int> RunAsync(CliContext context, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (CliException e)
        {
            await context.Error.WriteLineAsync($"jobsctl: {e.Message}");
            return e.ExitCode;
        }
    }

    /// <summary><c>--output</c> / <c>-o</c> with the formats a command offers; the first is the default.</summary>
    public static Option<string> OutputOption(params string[] formats)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = $"Output format: {string.Join(", ", formats)}",
            DefaultValueFactory = _ => formats[0],
            HelpName = "format",
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    /// <summary>A path segment: a job id or process reference escaped for a URL.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);
}
