using Jobs.Core.Dispatch;
using Jobs.Core.Jobs;
using Jobs.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Dispatch.Local;

/// <summary>
/// What the local runner does when it starts: every run whose <see cref="RunMarker"/> is still
/// there was cut off by the host's death. Its cwltool (an orphan now, whose output object nobody
/// will read) is stopped with every tool it started, and its job, unless it already ended, is
/// failed with <c>error.type: interrupted</c>, so no job stays <c>running</c> for a workflow
/// nothing watches. A job still <c>submitted</c> (cwltool started, but its running was never
/// reported) and the jobs that waited in the queue were never started as far as anyone knows:
/// the dispatch sweep starts them again. The runner's workers start only after this.
/// </summary>
internal sealed class InterruptedRuns(IJobStore store, JobReporter reporter, DerivedUpdateTokens tokens, TimeProvider time, ILogger logger)
{
    public async Task<int> RecoverAsync(string workPath, CancellationToken cancellationToken)
    {
        var failed = 0;
        foreach (var (jobId, run, marker) in RunMarker.Find(workPath))
        {
            var killed = marker?.KillIfRunning() ?? false;
            var job = await store.GetAsync(jobId, cancellationToken);
            if (job is { Status: JobStatus.Running } && tokens.Issued(job))
            {
                var what = killed ? $"its cwltool (pid {marker}) was stopped" : "its cwltool had already ended";
                await reporter.ReportAsync(DispatchUpdates.Failed(jobId, tokens.For(jobId), time.GetUtcNow(), DispatchUpdates.Interrupted,
                    $"the API stopped while the workflow ran and {what}; resubmit the job to run it again (jobsctl resubmit {jobId})"), cancellationToken);
                failed++;
            }

            logger.LogWarning("Job {JobId}: the API had stopped while cwltool ran in {Run}; {Outcome}", jobId, run,
                killed ? "the orphaned cwltool was stopped" : "no cwltool of it was still running");
            RunMarker.Delete(run);
        }

        return failed;
    }
}
