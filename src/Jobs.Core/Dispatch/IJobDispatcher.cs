using Jobs.Core.Jobs;
using Jobs.Core.Processes;

namespace Jobs.Core.Dispatch;

/// <summary>
/// The dispatch port: hands a new job to whatever runs it (docs/dispatch.md). The API calls it
/// once the job's creation is stored, with the update token still in hand; adapters live in
/// <c>Jobs.Dispatch</c> (a webhook, an SNS topic, cwltool on this machine) and report what they
/// did through the store's ordinary update path, so it shows in the job's history.
/// </summary>
public interface IJobDispatcher
{
    /// <summary>
    /// Queues the job for dispatch and returns without waiting for it: a slow or failing backend
    /// never fails the execute request. Jobs that a crash kept from being dispatched are found
    /// again by the dispatcher's sweep (the <see cref="DispatchUpdates.DispatchedStage"/> marker).
    /// </summary>
    ValueTask DispatchAsync(DispatchRequest request, CancellationToken cancellationToken);
}

/// <summary>A stored job, its update token and the process it runs.</summary>
/// <param name="Job">The job as stored.</param>
/// <param name="UpdateToken">Its update token (the store has only the hash).</param>
/// <param name="Process">The deployed process version, with its execution unit.</param>
/// <param name="ApiUrl">
/// The API's base URL as the execute request reached it (its public one behind a proxy), what a
/// remote backend's workflow reports to unless configured otherwise; null for a job the sweep found.
/// </param>
public sealed record DispatchRequest(JobDocument Job, string UpdateToken, ProcessDefinition Process, string? ApiUrl = null);

/// <summary><c>Jobs:Dispatch:Mode=none</c>: the job is only recorded, something else must notice it.</summary>
public sealed class NoJobDispatcher : IJobDispatcher
{
    public ValueTask DispatchAsync(DispatchRequest request, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
