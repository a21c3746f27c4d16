namespace Jobs.Core.Jobs;

/// <summary>
/// The life-cycle status of a job. The index stores the seed's values (<c>submitted</c>,
/// <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>dismissed</c>); OGC endpoints render
/// the OGC API - Processes codes (<c>accepted</c>, <c>running</c>, <c>successful</c>, …).
/// </summary>
public enum JobStatus
{
    Submitted,
    Running,
    Succeeded,
    Failed,
    Dismissed,
}

/// <summary>Conversions and the rank rule (docs/architecture.md, "Statuses").</summary>
public static class JobStatuses
{
    /// <summary>Every index value, in rank order.</summary>
    public static readonly IReadOnlyList<string> IndexValues = ["submitted", "running", "succeeded", "failed", "dismissed"];

    /// <summary>Every OGC status code, in the same order as <see cref="IndexValues"/>.</summary>
    public static readonly IReadOnlyList<string> OgcValues = ["accepted", "running", "successful", "failed", "dismissed"];

    public static string ToIndexValue(this JobStatus status) => IndexValues[(int)status];

    public static string ToOgcValue(this JobStatus status) => OgcValues[(int)status];

    /// <summary>submitted &lt; running &lt; terminal (succeeded, failed, dismissed).</summary>
    public static int Rank(this JobStatus status) => status switch
    {
        JobStatus.Submitted => 0,
        JobStatus.Running => 1,
        _ => 2,
    };

    public static bool IsTerminal(this JobStatus status) => status.Rank() == 2;

    /// <summary>Parses an index value or an OGC value (filters accept both), case-sensitive.</summary>
    public static bool TryParse(string? value, out JobStatus status)
    {
        for (var i = 0; i < IndexValues.Count; i++)
        {
            if (value == IndexValues[i] || value == OgcValues[i])
            {
                status = (JobStatus)i;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>The index value for an index or OGC value, or null when it is neither.</summary>
    public static string? Normalize(string? value) => TryParse(value, out var s) ? s.ToIndexValue() : null;
}
