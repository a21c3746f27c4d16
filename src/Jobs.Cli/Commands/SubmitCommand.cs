using System.CommandLine;
using Jobs.Cli.Inputs;

namespace Jobs.Cli.Commands;

/// <summary><c>jobsctl submit PROCESS[:VERSION]</c>: execute a process with inputs from a file and/or <c>-i</c>.</summary>
internal static class SubmitCommand
{
    public static Command Create(CliContext context)
    {
        var process = new Argument<string>("process") { Description = "The process, id or id:version (no version: the latest)" };
        var inputsFile = new Option<string?>("--inputs", "-f") { Description = "A JSON or YAML file mapping input ids to values", HelpName = "file" };
        var inputs = new Option<string[]>("--input", "-i") { Description = "An input: key=value (a string) or key:=json (a number, list, object…); repeatable, after --inputs", HelpName = "key=value", Arity = ArgumentArity.ZeroOrMore };
        var labels = new Option<string[]>("--label", "-l") { Description = "A label for the job (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var notify = new Option<string[]>("--notify") { Description = "A URI called when the job succeeds or fails; a second one is called on progress (OGC subscriber)", HelpName = "uri", Arity = ArgumentArity.ZeroOrMore };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Sent as Idempotency-Key: the same key again returns the first job instead of a new one", HelpName = "key" };
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait until the job finishes, showing its progress; the exit code tells how it ended" };
        var timeout = new Option<string?>("--timeout") { Description = "With --wait: give up waiting after this long (exit 3), e.g. 10m", HelpName = "duration" };
        var output = CommandActions.OutputOption("table", "json", "id", "env");
        output.Description = "Output: table (a line), json (the created statusInfo, update token included), id, env (export JOBS_API_URL, JOBS_JOB_ID, JOBS_UPDATE_TOKEN for a worker)";
        var command = new Command("submit", "Execute a process: create a job with inputs and labels, and optionally wait for it.")
        {
            process, inputsFile, inputs, labels, notify, idempotencyKey, wait, timeout, output,
        };
        return command.WithClient(context, async (parse, client, ct) =>
        {
            var submission = new Submission(
                parse.GetValue(process)!,
                InputValues.Build(parse.GetValue(inputsFile), parse.GetValue(inputs)!),
                parse.GetValue(labels)!,
                parse.GetValue(notify)!,
                parse.GetValue(idempotencyKey));
            var limit = parse.GetValue(timeout) is { } t ? DurationText.Parse(t, "--timeout") : (TimeSpan?)null;
            return await new JobSubmitter(context, client).SubmitAsync(submission, parse.GetValue(output)!, parse.GetValue(wait), limit, ct);
        });
    }
}
