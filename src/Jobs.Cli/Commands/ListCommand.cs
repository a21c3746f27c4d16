using System.CommandLine;
using System.Text.Json.Nodes;
using Jobs.Cli.Output;

namespace Jobs.Cli.Commands;

/// <summary><c>jobsctl list</c>: the OGC job list (<c>GET /jobs</c>) with its filters, as a table, JSON or ids.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context)
    {
        var filters = new JobFilterOptions();
        var all = new Option<bool>("--all") { Description = "Follow the 'next' links to the last page" };
        var output = CommandActions.OutputOption("table", "json", "ids");
        var command = new Command("list", "List jobs, newest first: id, process, status, progress, labels, created, duration.") { all, output };
        filters.AddTo(command);
        return command.WithClient(context, async (parse, client, ct) =>
        {
            var jobs = new JsonArray();
            var path = "jobs?" + filters.ToQuery(parse, context);
            while (true)
            {
                var page = await client.GetAsync(path, ct);
                foreach (var job in page["jobs"] as JsonArray ?? [])
                {
                    jobs.Add(job?.DeepClone());
                }

                var next = (page["links"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(l => l["rel"]?.ToString() == "next")?["href"]?.ToString();
                if (!parse.GetValue(all) || next is null)
                {
                    break;
                }

                // The API's absolute link, made relative to the connection's URL (a proxy may rewrite hosts).
                path = "jobs" + new Uri(next).Query;
            }

            Print(context, parse.GetValue(output)!, jobs);
            return ExitCodes.Ok;
        });
    }

    public static void Print(CliContext context, string format, JsonArray jobs)
    {
        switch (format)
        {
            case "json":
                JobTables.WriteJson(context, jobs);
                break;
            case "ids":
                foreach (var job in jobs.OfType<JsonNode>())
                {
                    context.Out.WriteLine(JobFields.From(job).Id);
                }

                break;
            default:
                JobTables.Jobs(context, jobs.OfType<JsonNode>());
                break;
        }
    }
}
