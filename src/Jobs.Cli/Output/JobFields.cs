using System.Globalization;
using System.Text.Json.Nodes;

namespace Jobs.Cli.Output;

/// <summary>
/// Reads the fields the CLI shows from a job as the API gives it: an OGC statusInfo
/// (<c>jobID</c>, <c>processID</c>, <c>started</c>…) or a search hit's <c>_source</c>
/// (<c>id</c>, <c>process-id</c>, <c>start-time</c>…, index status values).
/// </summary>
public sealed record JobFields(
    string Id,
    string Process,
    string Status,
    int? Progress,
    string? Stage,
    string? Message,
    IReadOnlyList<string> Labels,
    DateTimeOffset? Created,
    DateTimeOffset? Started,
    DateTimeOffset? Finished)
{
    public static JobFields From(JsonNode job)
    {
        string? Text(params string[] names) => names.Select(n => job[n]).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : v.ToJsonString()).FirstOrDefault();
        DateTimeOffset? Time(params string[] names) =>
            Text(names) is { } t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;

        var process = Text("processID", "process-id") ?? "";
        var version = Text("processVersion", "process-version");
        var status = Text("status") ?? "";
        return new JobFields(
            Text("jobID", "id") ?? "",
            version is null ? process : $"{process}:{version}",
            Core.Jobs.JobStatuses.TryParse(status, out var parsed) ? Core.Jobs.JobStatuses.ToOgcValue(parsed) : status,
            job["progress"] is JsonValue p && p.TryGetValue<int>(out var n) ? n : null,
            Text("stage"),
            Text("message"),
            job["labels"] is JsonArray labels ? [.. labels.OfType<JsonValue>().Select(l => l.ToString())] : [],
            Time("created"),
            Time("started", "start-time"),
            Time("finished", "stop-time"))
        {
            Updated = Time("updated"),
        };
    }

    /// <summary>When the job last changed (orders snapshots of one job).</summary>
    public DateTimeOffset? Updated { get; init; }

    /// <summary>OGC status: successful, failed or dismissed.</summary>
    public bool IsFinished => Status is "successful" or "failed" or "dismissed";

    /// <summary>Run time: started to finished, or to <paramref name="now"/> while running.</summary>
    public TimeSpan? Duration(DateTimeOffset now) =>
        Started is { } start ? (Finished ?? (IsFinished ? start : now)) - start : null;

    public static string Format(TimeSpan? duration) => duration switch
    {
        null => "",
        { TotalHours: >= 1 } d => $"{(int)d.TotalHours}h{d.Minutes:00}m",
        { TotalMinutes: >= 1 } d => $"{d.Minutes}m{d.Seconds:00}s",
        { } d => $"{d.TotalSeconds:0.#}s",
    };

    public static string Format(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";
}
