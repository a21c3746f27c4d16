using System.CommandLine;
using System.Text.Json.Nodes;
using Jobs.Cli.Inputs;
using Jobs.Cli.Output;

namespace Jobs.Cli.Commands;

/// <summary><c>jobsctl processes list|describe|deploy|undeploy</c>: the process registry.</summary>
internal static class ProcessesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("processes", "The deployed processes: list, describe, deploy, undeploy.");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Describe(context));
        command.Subcommands.Add(Deploy(context));
        command.Subcommands.Add(Undeploy(context));
        return command;
    }

    private static Command List(CliContext context)
    {
        var output = CommandActions.OutputOption("table", "json");
        return new Command("list", "List deployed processes (the latest version of each, with every version).") { output }
            .WithClient(context, async (parse, client, ct) =>
            {
                var list = await client.GetAsync("processes", ct);
                if (parse.GetValue(output) == "json")
                {
                    JobTables.WriteJson(context, list);
                }
                else
                {
                    JobTables.Processes(context, list["processes"] as JsonArray ?? []);
                }

                return ExitCodes.Ok;
            });
    }

    private static Command Describe(CliContext context)
    {
        var process = new Argument<string>("process") { Description = "id or id:version" };
        return new Command("describe", "Show a process description (inputs, outputs) as JSON.") { process }
            .WithClient(context, async (parse, client, ct) =>
            {
                JobTables.WriteJson(context, await client.GetAsync($"processes/{JobSubmitter.ProcessPath(parse.GetValue(process)!)}", ct));
                return ExitCodes.Ok;
            });
    }

    private static Command Deploy(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "An OGC Application Package, JSON or YAML (e.g. examples/l1b-cwl-package.json)" };
        return new Command("deploy", "Deploy a process from an OGC Application Package (admin).") { file }
            .WithClient(context, async (parse, client, ct) =>
            {
                var package = JsonOrYaml.ReadFile(parse.GetValue(file)!, "application package")
                    ?? throw new CliException(ExitCodes.Usage, "the application package is empty");
                var created = await client.SendAsync(HttpMethod.Post, "processes", package, null, ct);
                var id = created.Body?["id"] ?? package["processDescription"]?["id"];
                var version = created.Body?["version"] ?? package["processDescription"]?["version"];
                await context.Out.WriteLineAsync($"deployed {id}:{version}");
                return ExitCodes.Ok;
            });
    }

    private static Command Undeploy(CliContext context)
    {
        var process = new Argument<string>("process") { Description = "id (every version) or id:version" };
        return new Command("undeploy", "Undeploy every version of a process, or one (admin).") { process }
            .WithClient(context, async (parse, client, ct) =>
            {
                var name = parse.GetValue(process)!;
                await client.SendAsync(HttpMethod.Delete, $"processes/{JobSubmitter.ProcessPath(name)}", null, null, ct);
                await context.Out.WriteLineAsync($"undeployed {name}");
                return ExitCodes.Ok;
            });
    }
}
