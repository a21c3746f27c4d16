namespace Jobs.Cli.Watching;

/// <summary>
/// The feed <c>watch</c> and <c>--wait</c> follow jobs with: the API's event streams, polling
/// where the API has none, or polling only when <c>JOBS_WATCH=poll</c> (a proxy that cuts
/// long-lived answers, for example).
/// </summary>
public static class JobFeeds
{
    public static IJobFeed For(CliContext context, Client.JobsClient client)
    {
        var polling = new PollingJobFeed(client, context.Delay);
        return string.Equals(context.Env("JOBS_WATCH"), "poll", StringComparison.OrdinalIgnoreCase)
            ? polling
            : new StreamingJobFeed(client, context.Delay, polling);
    }
}
