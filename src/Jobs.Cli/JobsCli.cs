using System.CommandLine;
using Jobs.Cli.Updates;

namespace Jobs.Cli;

/// <summary>The <c>jobs</c> command line.</summary>
public static class JobsCli
{
    public static Task<int> Main(string[] args) => RunAsync(args, CliContext.FromProcess(), CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var root = new RootCommand("Jobs: the job index of a science data system, from the command line.")
        {
            UpdateCommand.Create(context),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await context.Error.WriteLineAsync($"jobs: {error.Message}");
            }

            await context.Error.WriteLineAsync("jobs: usage error; see 'jobs update --help'.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error }, cancellationToken);
    }
}
