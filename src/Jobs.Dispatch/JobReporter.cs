using Jobs.Core.Jobs;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Microsoft.Extensions.Logging;

namespace Jobs.Dispatch;

/// <summary>
/// Sends the dispatcher's update messages into the store through the ordinary batch apply (the
/// merge rule, the token check, the history), retrying a store that is briefly unavailable.
/// </summary>
public sealed class JobReporter(IJobStore store, TimeProvider time, ILogger<JobReporter> logger)
{
    private const int Attempts = 5;

    /// <summary>Applies the update; false (logged) when the store never took it.</summary>
    public async Task<bool> ReportAsync(UpdateMessage update, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = (await store.ApplyAsync([new JobUpdate(update, EventSources.Dispatch)], cancellationToken))[0];
                if (result.IsDone)
                {
                    return true;
                }

                if (result.Outcome != UpdateOutcomeKind.Retry || attempt == Attempts)
                {
                    logger.LogWarning("Dispatch update {UpdateId} of job {JobId} was {Outcome}: {Reason}", update.Id, update.JobId, result.Outcome, result.Reason);
                    return false;
                }
            }
            catch (StoreUnavailableException e) when (attempt < Attempts)
            {
                logger.LogWarning(e, "Store unavailable for dispatch update {UpdateId}; retrying", update.Id);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * (1 << attempt)), time, cancellationToken);
        }
    }
}
