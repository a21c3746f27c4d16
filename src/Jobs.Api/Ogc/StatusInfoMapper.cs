using Jobs.Core.Jobs;

namespace Jobs.Api.Ogc;

/// <summary>Renders a stored job as an OGC statusInfo (OGC status codes, OGC field names, links).</summary>
public static class StatusInfoMapper
{
    /// <param name="job">The stored job.</param>
    /// <param name="links">Builds absolute URLs.</param>
    /// <param name="detailed">Include inputs and outputs (single-job views, not list entries).</param>
    public static StatusInfo ToStatusInfo(JobDocument job, LinkBuilder links, bool detailed)
    {
        var self = links.Url($"/jobs/{LinkBuilder.Escape(job.Id)}");
        var list = new List<Link>
        {
            new(self, detailed ? "self" : "status", "application/json", "job status"),
        };
        if (detailed)
        {
            list.Add(new Link(links.Url("/jobs"), "up", "application/json", "job list"));
            list.Add(new Link($"{self}/history", "history", "application/json", "the job's events"));
            if (job.ProcessVersion is not null)
            {
                list.Add(new Link(
                    links.Url($"/processes/{LinkBuilder.Escape(job.ProcessId)}:{LinkBuilder.Escape(job.ProcessVersion)}"),
                    "process", "application/json", "the process description"));
            }
        }

        if (job.Status == JobStatus.Succeeded)
        {
            list.Add(new Link($"{self}/results", Rels.Results, "application/json", "job results"));
        }
        else if (job.Status == JobStatus.Failed)
        {
            list.Add(new Link($"{self}/results", Rels.Exceptions, "application/problem+json", "why the job failed"));
        }

        return new StatusInfo
        {
            JobId = job.Id,
            ProcessId = job.ProcessId,
            ProcessVersion = job.ProcessVersion,
            Status = job.Status.ToOgcValue(),
            Message = job.Message,
            Created = job.Created,
            Started = job.StartTime,
            Finished = job.StopTime,
            Updated = job.Updated,
            Progress = job.Progress,
            Stage = job.Stage,
            Labels = job.Labels,
            UserId = job.UserId,
            Inputs = detailed ? job.Inputs : null,
            Outputs = detailed ? job.Outputs : null,
            Error = job.Error,
            Links = list,
        };
    }
}
