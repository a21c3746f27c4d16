using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Api.Ogc;

/// <summary><c>landingPage.yaml</c></summary>
public sealed record LandingPage(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("links")] IReadOnlyList<Link> Links);

/// <summary><c>confClasses.yaml</c></summary>
public sealed record ConformanceDeclaration([property: JsonPropertyName("conformsTo")] IReadOnlyList<string> ConformsTo);

/// <summary>
/// <c>statusInfo.yaml</c>, plus Jobs' extensions (<c>processVersion</c>, <c>labels</c>,
/// <c>stage</c>, <c>inputs</c>, <c>outputs</c>, <c>error</c>, <c>userID</c>; <c>updateToken</c>
/// only in the response that creates the job).
/// </summary>
public sealed record StatusInfo
{
    [JsonPropertyName("jobID")]
    public required string JobId { get; init; }

    [JsonPropertyName("processID")]
    public string? ProcessId { get; init; }

    [JsonPropertyName("processVersion")]
    public string? ProcessVersion { get; init; }

    [JsonPropertyName("type")]
    public string Type { get; init; } = "process";

    /// <summary>The OGC status code: accepted, running, successful, failed, dismissed.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("started")]
    public DateTimeOffset? Started { get; init; }

    [JsonPropertyName("finished")]
    public DateTimeOffset? Finished { get; init; }

    [JsonPropertyName("updated")]
    public DateTimeOffset? Updated { get; init; }

    [JsonPropertyName("progress")]
    public int? Progress { get; init; }

    [JsonPropertyName("stage")]
    public string? Stage { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyList<string>? Labels { get; init; }

    [JsonPropertyName("userID")]
    public string? UserId { get; init; }

    [JsonPropertyName("inputs")]
    public IReadOnlyDictionary<string, JsonElement>? Inputs { get; init; }

    [JsonPropertyName("outputs")]
    public IReadOnlyDictionary<string, JsonElement>? Outputs { get; init; }

    [JsonPropertyName("error")]
    public Core.Jobs.JobError? Error { get; init; }

    /// <summary>The job's update token: returned once, when the job is created.</summary>
    [JsonPropertyName("updateToken")]
    public string? UpdateToken { get; init; }

    /// <summary>The subscriptions the execute request made (<c>notifications</c>, <c>subscriber</c>), with their signing secrets: returned once.</summary>
    [JsonPropertyName("notifications")]
    public IReadOnlyList<CreatedSubscription>? Notifications { get; init; }

    [JsonPropertyName("links")]
    public IReadOnlyList<Link> Links { get; init; } = [];
}

/// <summary><c>jobList.yaml</c></summary>
public sealed record JobList(
    [property: JsonPropertyName("jobs")] IReadOnlyList<StatusInfo> Jobs,
    [property: JsonPropertyName("links")] IReadOnlyList<Link> Links);

/// <summary><c>processSummary.yaml</c> (+ <c>versions</c>: every deployed version of the id).</summary>
public sealed record ProcessSummary
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("version")]
    public required string Version { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("jobControlOptions")]
    public IReadOnlyList<string> JobControlOptions { get; init; } = [];

    [JsonPropertyName("versions")]
    public IReadOnlyList<string>? Versions { get; init; }

    [JsonPropertyName("links")]
    public IReadOnlyList<Link> Links { get; init; } = [];
}

/// <summary><c>processList.yaml</c></summary>
public sealed record ProcessList(
    [property: JsonPropertyName("processes")] IReadOnlyList<ProcessSummary> Processes,
    [property: JsonPropertyName("links")] IReadOnlyList<Link> Links);

/// <summary>
/// The answer to <c>POST /jobs/{jobId}/updates</c>. <c>jobStatus</c> is the job's status (OGC
/// value) after the update, so a worker learns that its job was dismissed and stops
/// (<c>jobsctl update</c> exits 2 then).
/// </summary>
public sealed record UpdateAccepted(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("job-id")] string JobId,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("jobStatus"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? JobStatus = null);

/// <summary>The answer to <c>GET /jobs/{jobId}/history</c>.</summary>
public sealed record JobHistory(
    [property: JsonPropertyName("jobID")] string JobId,
    [property: JsonPropertyName("events")] IReadOnlyList<Core.Jobs.JobEvent> Events,
    [property: JsonPropertyName("links")] IReadOnlyList<Link> Links);

/// <summary>A subscription an execute request made, as its 201 answer lists it (the secret signs its deliveries).</summary>
public sealed record CreatedSubscription(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("events")] IReadOnlyList<string> Events,
    [property: JsonPropertyName("secret")] string Secret);
