using System.CommandLine;
using System.Text.Json.Nodes;
using Jobs.Cli.Inputs;
using Jobs.Cli.Output;

namespace Jobs.Cli.Commands;

/// <summary>
/// <c>jobsctl resubmit ID</c>: a new job with the old one's process (and version), inputs and
/// labels, plus the label <c>resubmit-of:&lt;old id&gt;</c> that links it to the old job
/// (<c>jobsctl list -l resubmit-of:ID</c> finds every retry).
/// </summary>
internal static class ResubmitCommand
{
    public const string LinkLabelPrefix = "resubmit-of:";

    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("job-id") { Description = "The job to run again" };
        var inputs = new Option<string[]>("--input", "-i") { Description = "Change an input: key=value or key:=json (repeatable)", HelpName = "key=value", Arity = ArgumentArity.ZeroOrMore };
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait until the new job finishes" };
        var timeout = new Option<string?>("--timeout") { Description = "With --wait: give up waiting after this long (exit 3)", HelpName = "duration" };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Sent as Idempotency-Key", HelpName = "key" };
        var output = CommandActions.OutputOption("table", "json", "id", "env");
        var command = new Command("resubmit", $"Run a job again: same process, inputs and labels, labelled {LinkLabelPrefix}<id>.")
        {
            id, inputs, wait, timeout, idempotencyKey, output,
        };
        return command.WithClient(context, async (parse, client, ct) =>
        {
            var oldId = parse.GetValue(id)!;
            var old = await client.GetAsync($"jobs/{CommandActions.Segment(oldId)}", ct);
            var fields = JobFields.From(old);
            var merged = (old["inputs"] as JsonObject)?.DeepClone().AsObject() ?? [];
            foreach (var (key, value) in InputValues.Build(null, parse.GetValue(inputs)!))
            {
                merged[key] = value?.DeepClone();
            }

            // The old job's own link label is not carried over: the new job points at the job it repeats.
            var labels = fields.Labels.Where(l => !l.StartsWith(LinkLabelPrefix, StringComparison.Ordinal)).Append(LinkLabelPrefix + fields.Id).ToList();
            var submission = new Submission(fields.Process, merged, labels, [], parse.GetValue(idempotencyKey));
            var limit = parse.GetValue(timeout) is { } t ? DurationText.Parse(t, "--timeout") : (TimeSpan?)null;
            return await new JobSubmitter(context, client).SubmitAsync(submission, parse.GetValue(output)!, parse.GetValue(wait), limit, ct);
        });
    }
}
