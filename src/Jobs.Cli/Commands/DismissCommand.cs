using System.CommandLine;
using Jobs.Cli.Output;

namespace Jobs.Cli.Commands;

/// <summary><c>jobsctl dismiss ID…</c>: dismiss jobs that have not finished (<c>DELETE /jobs/{id}</c>).</summary>
internal static class DismissCommand
{
    public static Command Create(CliContext context)
    {
        var ids = new Argument<string[]>("job-id") { Description = "The jobs to dismiss", Arity = ArgumentArity.OneOrMore };
        var command = new Command("dismiss", "Dismiss jobs that have not finished; a finished job cannot be dismissed (exit 65).") { ids };
        return command.WithClient(context, async (parse, client, ct) =>
        {
            var code = ExitCodes.Ok;
            foreach (var id in parse.GetValue(ids)!)
            {
                try
                {
                    var answer = await client.SendAsync(HttpMethod.Delete, $"jobs/{CommandActions.Segment(id)}", null, null, ct);
                    await context.Out.WriteLineAsync($"job {id} {(answer.Body is { } job ? JobFields.From(job).Status : "dismissed")}");
                }
                catch (CliException e)
                {
                    // One job that cannot be dismissed does not stop the others; the exit code tells.
                    await context.Error.WriteLineAsync($"jobsctl: {e.Message}");
                    code = e.ExitCode;
                }
            }

            return code;
        });
    }
}
