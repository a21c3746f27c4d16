using System.CommandLine;

namespace Jobs.Cli.Updates;

/// <summary>
/// The options that say which job a worker reports on and where its updates go, common to
/// <c>jobsctl update</c> and <c>jobsctl run</c>. Unset, each falls back to its JOBS_* variable.
/// </summary>
public sealed class WorkerOptions
{
    public Option<string?> JobId { get; } = new("--job-id") { Description = "The job to update [env JOBS_JOB_ID]", HelpName = "id" };

    public Option<string?> Token { get; } = new("--token") { Description = "The job's update token [env JOBS_UPDATE_TOKEN]", HelpName = "token" };

    public Option<string?> ApiUrl { get; } = new("--api-url") { Description = "Send to the Jobs API at this URL [env JOBS_API_URL]", HelpName = "url" };

    public Option<string?> QueueUrl { get; } = new("--queue-url") { Description = "Send to this SQS queue [env JOBS_QUEUE_URL]", HelpName = "url" };

    public Option<string?> TopicArn { get; } = new("--topic-arn") { Description = "Publish to this SNS topic [env JOBS_TOPIC_ARN]", HelpName = "arn" };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url") { Description = "AWS endpoint override, e.g. LocalStack's http://localhost:4566 [env JOBS_AWS_ENDPOINT_URL]", HelpName = "url" };

    public Option<string?> Region { get; } = new("--region") { Description = "AWS region when the ARN or queue URL does not name one [env AWS_REGION]" };

    public Option<string?> Attempts { get; } = new("--attempts") { Description = "Attempts before giving up on passing failures (default 5) [env JOBS_UPDATE_ATTEMPTS]", HelpName = "n" };

    public void AddTo(Command command)
    {
        foreach (var option in (Option[])[JobId, Token, ApiUrl, QueueUrl, TopicArn, EndpointUrl, Region, Attempts])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The job id and token (empty when neither option nor variable gives one).</summary>
    public (string JobId, string Token) Job(ParseResult parse, CliContext context) =>
        (parse.GetValue(JobId) ?? context.Env("JOBS_JOB_ID") ?? "", parse.GetValue(Token) ?? context.Env("JOBS_UPDATE_TOKEN") ?? "");

    public UpdateTarget Target(ParseResult parse) => new(
        parse.GetValue(ApiUrl), parse.GetValue(QueueUrl), parse.GetValue(TopicArn),
        parse.GetValue(EndpointUrl), parse.GetValue(Region), parse.GetValue(Attempts));
}

/// <summary>Destination options as given on the command line (null: not given).</summary>
public sealed record UpdateTarget(string? ApiUrl, string? QueueUrl, string? TopicArn, string? EndpointUrl, string? Region, string? Attempts);
