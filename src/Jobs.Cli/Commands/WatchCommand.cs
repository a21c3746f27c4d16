using System.CommandLine;
using Jobs.Cli.Inputs;
using Jobs.Cli.Watching;

namespace Jobs.Cli.Commands;

/// <summary>
/// <c>jobsctl watch [ID]</c>: follow one job, or the jobs a filter selects, until they finish.
/// The exit code tells how they ended (0 successful, 1 failed, 2 dismissed, 3 timeout).
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string?>("job-id") { Description = "The job (or none, with filters)", Arity = ArgumentArity.ZeroOrOne };
        var filters = new JobFilterOptions();
        var timeout = new Option<string?>("--timeout") { Description = "Give up after this long (exit 3), e.g. 10m", HelpName = "duration" };
        var command = new Command("watch", "Follow jobs until they finish, with live progress; exit 0 successful, 1 failed, 2 dismissed, 3 timeout.")
        {
            id, timeout,
        };
        filters.AddTo(command);
        return command.WithClient(context, async (parse, client, ct) =>
        {
            var jobId = parse.GetValue(id);
            var query = filters.ToQuery(parse, context);
            if (jobId is null && query.Length == 0)
            {
                throw new CliException(ExitCodes.Usage, "watch needs a job id or a filter (e.g. --status running, --label campaign-3)");
            }

            if (jobId is not null && query.Length > 0)
            {
                throw new CliException(ExitCodes.Usage, "give a job id or filters, not both");
            }

            var limit = parse.GetValue(timeout) is { } t ? DurationText.Parse(t, "--timeout") : (TimeSpan?)null;
            return await new JobWatcher(context, JobFeeds.For(context, client))
                .WatchAsync(new WatchTarget(jobId, jobId is null ? query : null), limit, ct);
        });
    }
}
