using System.Text.RegularExpressions;

namespace Jobs.Core.Notifications;

/// <summary>
/// Agave-style template variables in a subscription's URL: <c>${JOB_ID}</c>, <c>${JOB_NAME}</c>
/// and <c>${PROCESS_ID}</c> (the process), <c>${PROCESS_VERSION}</c>, <c>${JOB_STATUS}</c> (OGC),
/// <c>${EVENT}</c> (the event type, upper case), <c>${EVENT_ID}</c>, <c>${JOB_URL}</c>,
/// <c>${OWNER}</c>, <c>${LABELS}</c> (comma-separated), <c>${TIME}</c> (ISO-8601). Values are
/// URL-encoded; an unknown variable is left as written.
/// </summary>
public static partial class UrlTemplate
{
    public static readonly IReadOnlyList<string> Variables =
        ["JOB_ID", "JOB_NAME", "PROCESS_ID", "PROCESS_VERSION", "JOB_STATUS", "EVENT", "EVENT_ID", "JOB_URL", "OWNER", "LABELS", "TIME"];

    public static string Expand(string template, OutboxEvent e, string jobUrl) =>
        Variable().Replace(template, m => Value(m.Groups[1].Value, e, jobUrl) is { } value ? Uri.EscapeDataString(value) : m.Value);

    /// <summary>The variables a template names that are not known (a subscription with one is refused).</summary>
    public static IReadOnlyList<string> Unknown(string template) =>
        [.. Variable().Matches(template).Select(m => m.Groups[1].Value).Where(v => !Variables.Contains(v)).Distinct()];

    private static string? Value(string name, OutboxEvent e, string jobUrl) => name switch
    {
        "JOB_ID" => e.JobId,
        "JOB_NAME" or "PROCESS_ID" => e.Job.ProcessId,
        "PROCESS_VERSION" => e.Job.ProcessVersion ?? "",
        "JOB_STATUS" => Jobs.JobStatuses.ToOgcValue(e.Job.Status),
        "EVENT" => e.Type.ToUpperInvariant(),
        "EVENT_ID" => e.Id,
        "JOB_URL" => jobUrl,
        "OWNER" => e.Job.UserId ?? "",
        "LABELS" => string.Join(',', e.Job.Labels),
        "TIME" => Json.UtcTimestampJsonConverter.ToText(e.Time),
        _ => null,
    };

    [GeneratedRegex(@"\$\{([A-Z_]+)\}")]
    private static partial Regex Variable();
}
