using System.CommandLine;
using Amazon.Runtime;
using Amazon.SQS;
using Jobs.Cli.Aws;
using Jobs.Core.Updates;

namespace Jobs.Cli.Updates;

/// <summary>
/// <c>jobs update</c>: the worker-side Update Job tool. Builds a version-1 update message and
/// sends it to an SNS topic, an SQS queue or the API; see docs/updates.md.
/// </summary>
public static class UpdateCommand
{
    private const string EnvironmentHelp = """
        Report a job's progress from inside its workflow: build an update message (a fresh update id,
        event time now) and send it to the API, an SQS queue or an SNS topic.

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

        Exit codes: 0 stored (API) or accepted (SNS/SQS); 64 usage error; 65 refused for good
        (invalid message, wrong token, unknown job, missing topic/queue or permission);
        75 not delivered after every attempt for a passing reason (the step may be retried).
        """;

    public static Command Create(CliContext context)
    {
        var jobId = new Option<string?>("--job-id") { Description = "The job to update [env JOBS_JOB_ID]", HelpName = "id" };
        var token = new Option<string?>("--token") { Description = "The job's update token [env JOBS_UPDATE_TOKEN]", HelpName = "token" };
        var status = new Option<string?>("--status") { Description = "New status: submitted, running, succeeded, failed or dismissed (OGC names accepted)" };
        var stage = new Option<string?>("--stage") { Description = "Stage of the workflow, e.g. stage-in, process, stage-out" };
        var progress = new Option<int?>("--progress") { Description = "Progress in percent, 0 to 100" };
        var message = new Option<string?>("--message") { Description = "A human-readable progress message" };
        var outputs = new Option<string[]>("--output")
        {
            Description = "An output, name=url (repeatable; a name given twice becomes a list)",
            HelpName = "name=url",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var addLabels = new Option<string[]>("--add-label") { Description = "A label to add (repeatable)", HelpName = "label", Arity = ArgumentArity.ZeroOrMore };
        var removeLabels = new Option<string[]>("--remove-label") { Description = "A label to remove (repeatable)", HelpName = "label", Arity = ArgumentArity.ZeroOrMore };
        var errorType = new Option<string?>("--error-type") { Description = $"Why the job failed, a short type (default {UpdateMessageFactory.DefaultErrorType} with --error-message)" };
        var errorMessage = new Option<string?>("--error-message") { Description = "Why the job failed, in words" };
        var updateId = new Option<string?>("--update-id") { Description = "The update id (default: a new UUID v7); the same id twice is applied once" };
        var apiUrl = new Option<string?>("--api-url") { Description = "Send to the Jobs API at this URL [env JOBS_API_URL]", HelpName = "url" };
        var queueUrl = new Option<string?>("--queue-url") { Description = "Send to this SQS queue [env JOBS_QUEUE_URL]", HelpName = "url" };
        var topicArn = new Option<string?>("--topic-arn") { Description = "Publish to this SNS topic [env JOBS_TOPIC_ARN]", HelpName = "arn" };
        var endpointUrl = new Option<string?>("--endpoint-url") { Description = "AWS endpoint override, e.g. LocalStack's http://localhost:4566 [env JOBS_AWS_ENDPOINT_URL]", HelpName = "url" };
        var region = new Option<string?>("--region") { Description = "AWS region when the ARN or queue URL does not name one [env AWS_REGION]" };
        var attempts = new Option<int?>("--attempts") { Description = "Attempts before giving up on passing failures (default 5) [env JOBS_UPDATE_ATTEMPTS]" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the message instead of sending it" };

        var command = new Command("update", EnvironmentHelp)
        {
            jobId, token, status, stage, progress, message, outputs, addLabels, removeLabels, errorType, errorMessage, updateId,
            apiUrl, queueUrl, topicArn, endpointUrl, region, attempts, dryRun,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var run = new UpdateRun(context);
            var request = new UpdateRequest(
                parse.GetValue(jobId) ?? context.Env("JOBS_JOB_ID") ?? "",
                parse.GetValue(token) ?? context.Env("JOBS_UPDATE_TOKEN") ?? "",
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
            var target = new Target(parse.GetValue(apiUrl), parse.GetValue(queueUrl), parse.GetValue(topicArn),
                parse.GetValue(endpointUrl), parse.GetValue(region), parse.GetValue(attempts));
            return await run.RunAsync(request, target, parse.GetValue(dryRun), cancellationToken);
        });
        return command;
    }

    /// <summary>Destination options as given on the command line (null: not given).</summary>
    internal sealed record Target(string? ApiUrl, string? QueueUrl, string? TopicArn, string? EndpointUrl, string? Region, int? Attempts);

    private sealed class UpdateRun(CliContext context)
    {
        private const string Prefix = "jobs update: ";

        public async Task<int> RunAsync(UpdateRequest request, Target target, bool dryRun, CancellationToken cancellationToken)
        {
            if (request.JobId.Length == 0 || request.Token.Length == 0)
            {
                return await UsageAsync(request.JobId.Length == 0
                    ? "no job id: pass --job-id or set JOBS_JOB_ID"
                    : "no update token: pass --token or set JOBS_UPDATE_TOKEN (the updateToken returned when the job was created)");
            }

            var (built, body, errors) = UpdateMessageFactory.Build(request, context.Time.GetUtcNow());
            if (built is null)
            {
                return await UsageAsync($"the update would be invalid: {errors}");
            }

            if (dryRun)
            {
                await context.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(body!));
                return ExitCodes.Ok;
            }

            OwnedDestination destination;
            try
            {
                destination = await CreateDestinationAsync(target);
            }
            catch (UsageException e)
            {
                return await UsageAsync(e.Message);
            }
            catch (AmazonClientException e)
            {
                return await RejectedAsync(built, DeliveryResult.Rejected($"no AWS credentials or region: {e.Message}",
                    "give the step AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, or an instance or task role) and a region"));
            }

            using var owned = destination;

            var attempts = target.Attempts ?? (int.TryParse(context.Env("JOBS_UPDATE_ATTEMPTS"), out var n) ? n : 5);
            if (attempts < 1)
            {
                return await UsageAsync("--attempts / JOBS_UPDATE_ATTEMPTS must be at least 1");
            }

            var sender = new UpdateSender(destination, attempts, context.Delay);
            var (result, tried) = await sender.SendAsync(built, body!, line => context.Error.WriteLine(Prefix + line), cancellationToken);
            switch (result.Status)
            {
                case DeliveryStatus.Delivered:
                    await context.Out.WriteLineAsync($"{Prefix}update {built.Id} for job {built.JobId}: {result.Detail}");
                    return ExitCodes.Ok;
                case DeliveryStatus.Rejected:
                    return await RejectedAsync(built, result);
                default:
                    await context.Error.WriteLineAsync(
                        $"{Prefix}update {built.Id} for job {built.JobId} was NOT delivered to {destination.Name} after {tried} attempt(s): {result.Detail.TrimEnd('.')}. "
                        + "Next: check that the destination is reachable from the worker; running the step again is safe (exit 75 = temporary failure).");
                    return ExitCodes.Transient;
            }
        }

        private async Task<int> UsageAsync(string problem)
        {
            await context.Error.WriteLineAsync($"{Prefix}{problem}. Next: see 'jobs update --help'.");
            return ExitCodes.Usage;
        }

        private async Task<int> RejectedAsync(UpdateMessage message, DeliveryResult result)
        {
            await context.Error.WriteLineAsync(
                $"{Prefix}update {message.Id} for job {message.JobId} was REFUSED: {result.Detail.TrimEnd('.')}. Next: {result.Hint}; sending it again will not help.");
            return ExitCodes.Rejected;
        }

        /// <summary>The one destination; throws <see cref="UsageException"/> when there is not exactly one.</summary>
        private async Task<OwnedDestination> CreateDestinationAsync(Target target)
        {
            var given = new[] { ("--api-url", target.ApiUrl), ("--queue-url", target.QueueUrl), ("--topic-arn", target.TopicArn) }
                .Where(x => !string.IsNullOrWhiteSpace(x.Item2)).ToList();
            if (given.Count == 0)
            {
                given = new[]
                {
                    ("JOBS_API_URL", context.Env("JOBS_API_URL")),
                    ("JOBS_QUEUE_URL", context.Env("JOBS_QUEUE_URL")),
                    ("JOBS_TOPIC_ARN", context.Env("JOBS_TOPIC_ARN", "JOBS_DATA_SNS_TOPIC_ARN")),
                }.Where(x => x.Item2 is not null).ToList();
            }

            if (given.Count != 1)
            {
                throw new UsageException(given.Count == 0
                    ? "no destination: pass --api-url, --queue-url or --topic-arn (or set JOBS_API_URL, JOBS_QUEUE_URL or JOBS_TOPIC_ARN)"
                    : $"more than one destination ({string.Join(", ", given.Select(g => g.Item1))}): choose one with --api-url, --queue-url or --topic-arn");
            }

            var (name, value) = given[0];
            var endpoint = target.EndpointUrl ?? context.Env("JOBS_AWS_ENDPOINT_URL");
            return name switch
            {
                "--api-url" or "JOBS_API_URL" => Api(value!),
                "--queue-url" or "JOBS_QUEUE_URL" => await SqsAsync(value!, endpoint ?? context.Env("AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL"), target.Region),
                _ => await SnsAsync(value!, endpoint ?? context.Env("AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL"), target.Region),
            };
        }

        private OwnedDestination Api(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new UsageException($"--api-url '{url}' is not an http(s) URL");
            }

            var http = Http();
            return new OwnedDestination(new ApiDestination(http, uri), http);
        }

        private async Task<OwnedDestination> SqsAsync(string queueUrl, string? endpoint, string? region)
        {
            region ??= AwsSettings.RegionOfQueueUrl(queueUrl) ?? context.Env("AWS_REGION", "AWS_DEFAULT_REGION");
            var config = new AmazonSQSConfig { MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(30) };
            if (region is not null)
            {
                config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
            }

            // A queue URL that is not an AWS host (LocalStack) is its own endpoint.
            endpoint ??= Uri.TryCreate(queueUrl, UriKind.Absolute, out var u) && !u.Host.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase)
                ? u.GetLeftPart(UriPartial.Authority)
                : null;
            if (endpoint is not null)
            {
                config.ServiceURL = endpoint;
                config.AuthenticationRegion = region ?? "us-east-1";
            }

            var credentials = await AwsSettings.ResolveCredentialsAsync(context);
            var sqs = new AmazonSQSClient(credentials, config);
            return new OwnedDestination(new SqsDestination(sqs, queueUrl), sqs);
        }

        private async Task<OwnedDestination> SnsAsync(string topicArn, string? endpoint, string? region)
        {
            region ??= AwsSettings.RegionOfArn(topicArn) ?? context.Env("AWS_REGION", "AWS_DEFAULT_REGION");
            if (!topicArn.StartsWith("arn:", StringComparison.Ordinal) || region is null)
            {
                throw new UsageException($"--topic-arn '{topicArn}' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)");
            }

            Uri uri;
            if (endpoint is null)
            {
                uri = SnsPublishClient.DefaultEndpoint(region);
            }
            else if (!Uri.TryCreate(endpoint, UriKind.Absolute, out uri!))
            {
                throw new UsageException($"--endpoint-url '{endpoint}' is not a URL");
            }

            var credentials = await AwsSettings.ResolveCredentialsAsync(context);
            var http = Http();
            return new OwnedDestination(new SnsDestination(new SnsPublishClient(http, uri, region, credentials, context.Time), topicArn), http);
        }

        private HttpClient Http() =>
            new(context.HttpHandler ?? new SocketsHttpHandler { AllowAutoRedirect = false }, disposeHandler: context.HttpHandler is null)
            {
                Timeout = TimeSpan.FromSeconds(30),
            };
    }

    /// <summary>The command line does not name exactly one usable destination.</summary>
    private sealed class UsageException(string message) : Exception(message);

    /// <summary>Disposes what a destination holds (its HTTP or SQS client) when the run ends.</summary>
    private sealed class OwnedDestination(IUpdateDestination inner, params IDisposable[] owned) : IUpdateDestination, IDisposable
    {
        public string Name => inner.Name;

        public Task<DeliveryResult> SendAsync(UpdateMessage message, byte[] body, CancellationToken cancellationToken) =>
            inner.SendAsync(message, body, cancellationToken);

        public void Dispose()
        {
            foreach (var d in owned)
            {
                d.Dispose();
            }
        }
    }
}
