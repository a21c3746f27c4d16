using System.CommandLine;
using Jobs.Cli.Commands;
using Jobs.Cli.Updates;

namespace Jobs.Cli;

/// <summary>The <c>jobsctl</c> command line: users' commands, then the worker's <c>update</c> and <c>run</c>.</summary>
public static class JobsCli
{
    public const string Name = "jobsctl";

    private const string Description = """
        jobsctl: the Jobs API from the command line — submit, list, search and watch jobs, and report
        a job's progress from its worker.

        Connection (every command but update and run): --api-url, else JOBS_API_URL, else the profile's
        (jobsctl login), else http://localhost:5001; credential: --access-token / --api-key, else
        JOBS_TOKEN (Bearer) / JOBS_API_KEY (ApiKey), else the profile's. Profiles live in
        $XDG_CONFIG_HOME/jobsctl/config.json (default ~/.config/jobsctl/config.json; JOBSCTL_CONFIG overrides).
        """;

    public static Task<int> Main(string[] args) => RunAsync(args, CliContext.FromProcess(), CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var root = new RootCommand(Description)
        {
            LoginCommand.Create(context),
            ProfilesCommand.Logout(context),
            ProfilesCommand.Create(context),
            ProcessesCommand.Create(context),
            SubmitCommand.Create(context),
            GetCommand.Create(context),
            ListCommand.Create(context),
            SearchCommand.Create(context),
            HistoryCommand.Create(context),
            WatchCommand.Create(context),
            DismissCommand.Create(context),
            ResultsCommand.Create(context),
            ResubmitCommand.Create(context),
            UpdateCommand.Create(context),
            RunCommand.Create(context),
            CompletionCommand.Create(context),
        };

        root.WithDetails(ExitCodes.Help);
        var help = DetailedHelp.Install(root, context);

        // No response files: '@file' is the search command's own (a request body in a file).
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

        // --help wins over a missing argument ('jobsctl run --help').
        if (parsed.Errors.Count > 0 && (help is null || parsed.Action != help))
        {
            foreach (var error in parsed.Errors)
            {
                await context.Error.WriteLineAsync($"{Name}: {error.Message}");
            }

            var command = string.Join(' ', parsed.CommandResult.Command is RootCommand ? [] : new[] { parsed.CommandResult.Command.Name });
            await context.Error.WriteLineAsync($"{Name}: usage error; see '{Name} {command}{(command.Length > 0 ? " " : "")}--help'.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error }, cancellationToken);
    }
}
