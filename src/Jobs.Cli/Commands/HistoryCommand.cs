using System.CommandLine;
using System.Text.Json.Nodes;
using Jobs.Cli.Output;

namespace Jobs.Cli.Commands;

/// <summary><c>jobsctl history ID</c>: the job's events (creation, every update, refused ones), oldest first.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("job-id") { Description = "The job" };
        var output = CommandActions.OutputOption("table", "json");
        var command = new Command("history", "Show a job's events, oldest first: every update it received, with its outcome.") { id, output };
        return command.WithClient(context, async (parse, client, ct) =>
        {
            var history = await client.GetAsync($"jobs/{CommandActions.Segment(parse.GetValue(id)!)}/history", ct);
            if (parse.GetValue(output) == "json")
            {
                JobTables.WriteJson(context, history);
            }
            else
            {
                JobTables.Events(context, history["events"] as JsonArray ?? []);
            }

            return ExitCodes.Ok;
        });
    }
}
