using System.Text.Json.Nodes;

namespace Jobs.Cli.Watching;

/// <summary>What <c>watch</c> follows: one job, or the jobs a job-list filter selects.</summary>
/// <param name="JobId">One job, or null for a filter.</param>
/// <param name="ListQuery">The <c>GET /jobs</c> query string of a filter (without <c>?</c>).</param>
public sealed record WatchTarget(string? JobId, string? ListQuery);

/// <summary>
/// The changes of the jobs being watched, as snapshots of each job (OGC statusInfo). Today's one
/// implementation polls (<see cref="PollingJobFeed"/>); a feed over the job's event stream
/// (<c>GET /jobs/{id}/events</c>, Server-Sent Events) can replace it without touching <c>watch</c>.
/// </summary>
public interface IJobFeed
{
    /// <summary>
    /// Yields every job whose status, stage, progress or message changed (the first round yields
    /// them all), and ends once every job seen is finished (successful, failed or dismissed), or
    /// at once when a filter selects no job.
    /// </summary>
    IAsyncEnumerable<JsonNode> FollowAsync(WatchTarget target, CancellationToken cancellationToken);
}
