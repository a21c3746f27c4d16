using Jobs.Api.Ogc;
using Jobs.Core.Jobs;
using Jobs.Core.Storage;

namespace Jobs.Api.Identity;

/// <summary>
/// The one way every route finds a job by id (OGC, ADES aliases, history, <c>_doc</c>, …), with
/// the ownership rule inside it: a job the caller may not see is not found, exactly like one
/// that does not exist (404, never 403), so no route can forget the check or reveal that an id
/// is taken.
/// </summary>
public sealed class JobLookup(IJobStore store, IHttpContextAccessor accessor)
{
    public Caller Caller => Caller.From(accessor.HttpContext ?? throw new InvalidOperationException("No current request."));

    /// <summary>The job, if it exists, the caller may see it, and (in an ADES path) it is of that process.</summary>
    public async Task<JobDocument?> FindAsync(string jobId, ProcessRef? process, CancellationToken cancellationToken)
    {
        var job = JobIds.IsWellFormed(jobId) ? await store.GetAsync(jobId, cancellationToken) : null;
        if (job is null || !Caller.CanSee(job))
        {
            return null;
        }

        return process is not { } p || (p.Id == job.ProcessId && (p.Version is null || p.Version == job.ProcessVersion)) ? job : null;
    }
}
