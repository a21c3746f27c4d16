using System.CommandLine;
using Jobs.Cli.Output;

namespace Jobs.Cli.Commands;

/// <summary><c>jobsctl get ID</c>: one job's status, inputs, outputs, labels and error.</summary>
internal static class GetCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("job-id") { Description = "The job" };
        var output = CommandActions.OutputOption("table", "json");
        var command = new Command("get", "Show one job: status, progress, inputs, outputs, labels, error.") { id, output };
        return command.WithClient(context, async (parse, client, ct) =>
        {
            var job = await client.GetAsync($"jobs/{CommandActions.Segment(parse.GetValue(id)!)}", ct);
            if (parse.GetValue(output) == "json")
            {
                JobTables.WriteJson(context, job);
            }
            else
            {
                JobTables.Job(context, job);
            }

            return ExitCodes.Ok;
        });
    }
}
