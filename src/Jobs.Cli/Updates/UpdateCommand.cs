using System.CommandLine;
using Jobs.Cli.Commands;

namespace Jobs.Cli.Updates;

/// <summary>
/// <c>jobsctl update</c>: the worker-side Update Job tool. Builds a version-1 update message and
/// sends it to an SNS topic, an SQS queue or the API; see docs/updates.md.
/// </summary>
public static class UpdateCommand
{
    private const string Summary = "Report a job's progress from its worker: send one update message to the API, SQS or SNS.";

    private const string EnvironmentHelp = """
        Builds an update message (a fresh update id, event time now) and sends it to the API, an SQS
        queue or an SNS topic.

        Defaults come from the environment, so a CWL step can stay short:
          JOBS_JOB_ID             --job-id
          JOBS_UPDATE_TOKEN       --token (the updateToken returned when the job was created)
          JOBS_API_URL            --api-url
          JOBS_QUEUE_URL          --queue-url
          JOBS_TOPIC_ARN          --topic-arn (also JOBS_DATA_SNS_TOPIC_ARN, as Unity SPS sets it)
          JOBS_AWS_ENDPOINT_URL   --endpoint-url (else AWS_ENDPOINT_URL_SNS/_SQS, AWS_ENDPOINT_URL)
          AWS_REGION              --region (else AWS_DEFAULT_REGION; an ARN or queue URL names its own)
          JOBS_UPDATE_ATTEMPTS    --attempts
          AWS credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, a profile,
          web identity, or the container's or instance's role (the AWS SDK's default chain).
        Exactly one destination: an option chooses it; otherwise exactly one of the variables must be set.

        Exit codes: 0 stored (API) or accepted (SNS/SQS); 2 the job is dismissed (stop working; the
        API said so); 64 usage error (an option or setting is malformed); 65 refused for good
        (invalid message, wrong token, unknown job, missing topic/queue or permission);
        75 not delivered after every attempt for a passing reason (the step may be retried).
        """;

    public static Command Create(CliContext context)
    {
        var worker = new WorkerOptions();
        var status = new Option<string?>("--status") { Description = "New status: submitted, running, succeeded, failed or dismissed (OGC names accepted)" };
        var stage = new Option<string?>("--stage") { Description = "Stage of the workflow, e.g. stage-in, process, stage-out" };
        var progress = new Option<int?>("--progress") { Description = "Progress in percent, 0 to 100" };
        var message = new Option<string?>("--message") { Description = "A human-readable progress message" };
        var outputs = new Option<string[]>("--output")
        {
            Description = "An output, name=url (repeatable; a name given twice becomes a list; a JSON object or array value is kept as JSON)",
            HelpName = "name=url",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var addLabels = new Option<string[]>("--add-label") { Description = "A label to add (repeatable)", HelpName = "label", Arity = ArgumentArity.ZeroOrMore };
        var removeLabels = new Option<string[]>("--remove-label") { Description = "A label to remove (repeatable)", HelpName = "label", Arity = ArgumentArity.ZeroOrMore };
        var errorType = new Option<string?>("--error-type") { Description = $"Why the job failed, a short type (default {UpdateMessageFactory.DefaultErrorType} with --error-message)" };
        var errorMessage = new Option<string?>("--error-message") { Description = "Why the job failed, in words" };
        var updateId = new Option<string?>("--update-id") { Description = "The update id (default: a new UUID v7); the same id twice is applied once" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the message instead of sending it" };

        var command = new Command("update", Summary)
        {
            status, stage, progress, message, outputs, addLabels, removeLabels, errorType, errorMessage, updateId, dryRun,
        };
        worker.AddTo(command);
        command.WithDetails(EnvironmentHelp);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var (jobId, token) = worker.Job(parse, context);
            var request = new UpdateRequest(
                jobId,
                token,
                parse.GetValue(status),
                parse.GetValue(stage),
                parse.GetValue(progress),
                parse.GetValue(message),
                parse.GetValue(outputs),
                parse.GetValue(addLabels),
                parse.GetValue(removeLabels),
                parse.GetValue(errorType),
                parse.GetValue(errorMessage),
                parse.GetValue(updateId));
            return await new UpdateRun(context).RunAsync(request, worker.Target(parse), parse.GetValue(dryRun), cancellationToken);
        });
        return command;
    }
}
