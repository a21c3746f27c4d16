using Jobs.Aws;
using Amazon.Runtime;
using Amazon.SQS;
using Jobs.Cli.Aws;
using Jobs.Core.Updates;

namespace Jobs.Cli.Updates;

/// <summary>
/// One run of the Update Job tool: checks the request, builds the message, picks the one
/// destination and sends with retries; every outcome becomes an exit code and one line saying
/// what happened and what to do next.
/// </summary>
internal sealed class UpdateRun(CliContext context, string prefix = "jobsctl update: ")
{
    private string Prefix { get; } = prefix;

    public async Task<int> RunAsync(UpdateRequest request, UpdateTarget target, bool dryRun, CancellationToken cancellationToken)
    {
        if (request.JobId.Length == 0 || request.Token.Length == 0)
        {
            return await UsageAsync(request.JobId.Length == 0
                ? "no job id: pass --job-id or set JOBS_JOB_ID"
                : "no update token: pass --token or set JOBS_UPDATE_TOKEN (the updateToken returned when the job was created)");
        }

        if (ParseAttempts(target.Attempts) is not { } attempts)
        {
            return await UsageAsync(target.Attempts is not null
                ? $"--attempts '{target.Attempts}' is not a whole number of at least 1"
                : $"JOBS_UPDATE_ATTEMPTS '{context.Env("JOBS_UPDATE_ATTEMPTS")}' is not a whole number of at least 1 (unset it for the default, {DefaultAttempts})");
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

        var sender = new UpdateSender(destination, attempts, context.Delay);
        var (result, tried) = await sender.SendAsync(built, body!, line => context.Error.WriteLine(Prefix + line), cancellationToken);
        switch (result.Status)
        {
            case DeliveryStatus.Delivered:
                await context.Out.WriteLineAsync($"{Prefix}update {built.Id} for job {built.JobId}: {result.Detail}");
                return ExitCodes.Ok;
            case DeliveryStatus.Rejected:
                return await RejectedAsync(built, result);
            case DeliveryStatus.JobDismissed:
                await context.Error.WriteLineAsync(
                    $"{Prefix}job {built.JobId} is DISMISSED: update {built.Id} was {result.Detail}. Next: stop working on this job; "
                    + "its status and outputs no longer change (exit 2 = job dismissed).");
                return ExitCodes.JobDismissed;
            default:
                await context.Error.WriteLineAsync(
                    $"{Prefix}update {built.Id} for job {built.JobId} was NOT delivered to {destination.Name} after {tried} attempt(s): {result.Detail.TrimEnd('.')}. "
                    + "Next: check that the destination is reachable from the worker; running the step again is safe (exit 75 = temporary failure).");
                return ExitCodes.Transient;
        }
    }

    /// <summary>Attempts when neither --attempts nor JOBS_UPDATE_ATTEMPTS says.</summary>
    public const int DefaultAttempts = 5;

    /// <summary>The option, else the variable, else the default; null when the one given is not a positive whole number.</summary>
    private int? ParseAttempts(string? option)
    {
        var text = option ?? context.Env("JOBS_UPDATE_ATTEMPTS");
        if (text is null)
        {
            return DefaultAttempts;
        }

        return int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : null;
    }

    private async Task<int> UsageAsync(string problem)
    {
        await context.Error.WriteLineAsync($"{Prefix}{problem}. Next: see 'jobsctl update --help'.");
        return ExitCodes.Usage;
    }

    private async Task<int> RejectedAsync(UpdateMessage message, DeliveryResult result)
    {
        await context.Error.WriteLineAsync(
            $"{Prefix}update {message.Id} for job {message.JobId} was REFUSED: {result.Detail.TrimEnd('.')}. Next: {result.Hint}; sending it again will not help.");
        return ExitCodes.Rejected;
    }

    /// <summary>The one destination; throws <see cref="UsageException"/> when there is not exactly one.</summary>
    private async Task<OwnedDestination> CreateDestinationAsync(UpdateTarget target)
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
