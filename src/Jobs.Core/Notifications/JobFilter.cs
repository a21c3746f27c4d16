using Jobs.Core.Jobs;

namespace Jobs.Core.Notifications;

/// <summary>
/// Which jobs a live stream or a subscription covers, checked against the job as a change left
/// it: every label listed (all must be on the job, as <c>GET /jobs?labels=</c>), any status listed
/// (index or OGC names), the process id (or <c>id:version</c>). An empty filter covers every job.
/// </summary>
public sealed record JobFilter
{
    public IReadOnlyList<string> Labels { get; init; } = [];

    public IReadOnlyList<JobStatus> Statuses { get; init; } = [];

    /// <summary><c>id</c> or <c>id:version</c>; null: any process.</summary>
    public string? Process { get; init; }

    public bool Matches(JobDocument job)
    {
        if (Labels.Any(l => !job.Labels.Contains(l, StringComparer.Ordinal)))
        {
            return false;
        }

        if (Statuses.Count > 0 && !Statuses.Contains(job.Status))
        {
            return false;
        }

        if (Process is null)
        {
            return true;
        }

        var colon = Process.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? job.ProcessId == Process
            : job.ProcessId == Process[..colon] && job.ProcessVersion == Process[(colon + 1)..];
    }
}
