using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Api.Http;
using Jobs.Api.Identity;
using Jobs.Api.Ogc;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Endpoints;

/// <summary>
/// The OGC job resources (list, status, results, dismiss), the job's history, worker updates,
/// and the aliases at the paths the Unity ADES used.
/// </summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/", (HttpRequest request, IJobStore store, RequestContext context, CancellationToken ct) => ListAsync(request, store, context, ct))
            .WithName("ListJobs").WithListParameters()
            .WithSummary("Jobs (OGC job list): processID, status, type, datetime, minDuration, maxDuration, limit, labels, user, q, next");
        jobs.MapGet("/{jobId}", (string jobId, JobLookup lookup, RequestContext context, CancellationToken ct) => GetAsync(jobId, null, lookup, context, ct))
            .WithName("GetJob").WithSummary("Job status (statusInfo with labels, stage, inputs and outputs)");
        jobs.MapGet("/{jobId}/results", (string jobId, HttpResponse response, JobLookup lookup, CancellationToken ct) => ResultsAsync(jobId, null, response, lookup, ct))
            .WithName("GetJobResults").WithSummary("Job results, once the job succeeded");
        jobs.MapDelete("/{jobId}", (string jobId, JobLookup lookup, IJobStore store, RequestContext context, CancellationToken ct) => DismissAsync(jobId, null, lookup, store, context, ct))
            .WithName("DismissJob").WithSummary("Dismiss a job that has not finished");
        jobs.MapGet("/{jobId}/history", HistoryAsync).WithName("GetJobHistory").WithSummary("The job's events, oldest first");
        jobs.MapPost("/{jobId}/updates", UpdateAsync).WithName("UpdateJob")
            .WithSummary("Apply one update message (the worker's Update Job step; the job's token is in the body)")
            .WithJsonBody("an update message, version 1 (docs/architecture.md, \"The update message\")")
            .AllowAnonymous(); // workers have no user identity: the job's update token is the credential

        // The paths the Unity ADES used, for existing clients.
        var ades = app.MapGroup("/processes/{processId}/jobs").WithTags("Jobs (ADES paths)");
        ades.MapGet("/", (string processId, HttpRequest request, IJobStore store, RequestContext context, CancellationToken ct)
            => ListAsync(request, store, context, ct, processId)).WithName("ListProcessJobs").WithSummary("Jobs of one process");
        ades.MapGet("/{jobId}", (string processId, string jobId, JobLookup lookup, RequestContext context, CancellationToken ct)
            => GetAsync(jobId, ProcessRef.Parse(processId), lookup, context, ct)).WithName("GetProcessJob").WithSummary("Job status, at the ADES path");
        ades.MapDelete("/{jobId}", (string processId, string jobId, JobLookup lookup, IJobStore store, RequestContext context, CancellationToken ct)
            => DismissAsync(jobId, ProcessRef.Parse(processId), lookup, store, context, ct)).WithName("DismissProcessJob").WithSummary("Dismiss a job, at the ADES path");
        ades.MapGet("/{jobId}/result", (string processId, string jobId, HttpResponse response, JobLookup lookup, CancellationToken ct)
            => ResultsAsync(jobId, ProcessRef.Parse(processId), response, lookup, ct)).WithName("GetProcessJobResult").WithSummary("Job results, at the ADES path");
        return app;
    }

    private static async Task<Results<Ok<JobList>, ProblemHttpResult>> ListAsync(
        HttpRequest request, IJobStore store, RequestContext context, CancellationToken ct, string? processRef = null)
    {
        var query = request.Query;
        if (processRef is not null)
        {
            var withProcess = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(query.ToDictionary(q => q.Key, q => q.Value))
            {
                ["processID"] = processRef,
            };
            query = new QueryCollection(withProcess);
        }

        var list = JobListQuery.Build(query, context.Options.MaxJobListLimit, context.Now);
        if (list.Search is null)
        {
            return Problems.Invalid(list.Errors, "job list parameters");
        }

        var response = await SearchScope.SearchAsync(store, list.Search, context.SearchCaller, ct);
        var hits = response["hits"]!["hits"]!.AsArray();
        var links = context.Links;
        var jobs = hits.Take(list.Limit)
            .Select(hit => StatusInfoMapper.ToStatusInfo(JobsJson.ParseJob(hit!["_source"]!), links, detailed: false))
            .ToList();

        var self = links.Url(request.Path + request.QueryString);
        var listLinks = new List<Link> { new(self, "self", "application/json", "this page") };
        if (hits.Count > list.Limit)
        {
            var cursor = JobListQuery.Cursor.Encode(hits[list.Limit - 1]!["sort"]!);
            var next = QueryString.Create(request.Query
                .Where(q => q.Key != "next")
                .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
                .Append(new KeyValuePair<string, string?>("next", cursor)));
            listLinks.Add(new Link(links.Url(request.Path + next), "next", "application/json", "next page"));
        }

        return TypedResults.Ok(new JobList(jobs, listLinks));
    }

    /// <summary>The job through the one lookup every route uses (ownership included), or a 404 problem.</summary>
    private static async Task<(JobDocument? Job, ProblemHttpResult? Problem)> FindAsync(
        string jobId, ProcessRef? process, JobLookup lookup, CancellationToken ct)
    {
        var job = await lookup.FindAsync(jobId, process, ct);
        return job is not null ? (job, null) : (null, Problems.NoSuchJob(jobId));
    }

    private static async Task<Results<Ok<StatusInfo>, ProblemHttpResult>> GetAsync(
        string jobId, ProcessRef? process, JobLookup lookup, RequestContext context, CancellationToken ct)
    {
        var (job, problem) = await FindAsync(jobId, process, lookup, ct);
        return problem ?? (Results<Ok<StatusInfo>, ProblemHttpResult>)TypedResults.Ok(StatusInfoMapper.ToStatusInfo(job!, context.Links, detailed: true));
    }

    private static async Task<IResult> ResultsAsync(
        string jobId, ProcessRef? process, HttpResponse response, JobLookup lookup, CancellationToken ct)
    {
        var (job, problem) = await FindAsync(jobId, process, lookup, ct);
        if (problem is not null)
        {
            return problem;
        }

        return job!.Status switch
        {
            JobStatus.Succeeded => JobResults.Render(job, response),
            JobStatus.Failed => Problems.Problem(
                StatusCodes.Status500InternalServerError, ProblemTypes.JobFailed, "The job failed",
                job.Error is { } e ? $"{e.Type}: {e.Message}" : "The job failed without saying why.",
                new Dictionary<string, object?> { ["jobID"] = job.Id, ["error"] = job.Error }),
            JobStatus.Dismissed => Problems.Problem(
                StatusCodes.Status410Gone, ProblemTypes.JobDismissed, "The job was dismissed",
                $"Job {job.Id} was dismissed; it has no results."),
            _ => Problems.Problem(
                StatusCodes.Status404NotFound, ProblemTypes.ResultNotReady, "Results not ready",
                $"Job {job.Id} is {job.Status.ToOgcValue()}; results are available once it is successful. Poll GET /jobs/{job.Id}."),
        };
    }

    private static async Task<Results<Ok<StatusInfo>, ProblemHttpResult>> DismissAsync(
        string jobId, ProcessRef? process, JobLookup lookup, IJobStore store, RequestContext context, CancellationToken ct)
    {
        var (job, problem) = await FindAsync(jobId, process, lookup, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (!job!.Status.IsTerminal())
        {
            var dismiss = new UpdateMessage { Id = Guid.NewGuid().ToString("D"), JobId = job.Id, Time = context.Now, Status = JobStatus.Dismissed };
            await store.ApplyAsync([new JobUpdate(dismiss, EventSources.Dismiss) { Trusted = true }], ct);
            job = await store.GetAsync(job.Id, ct) ?? job;
        }

        if (job.Status != JobStatus.Dismissed)
        {
            return Problems.Problem(
                StatusCodes.Status409Conflict, ProblemTypes.JobFinished, "The job has finished",
                $"Job {job.Id} is {job.Status.ToOgcValue()}; a finished job's status never changes, so it cannot be dismissed.");
        }

        return TypedResults.Ok(StatusInfoMapper.ToStatusInfo(job, context.Links, detailed: true));
    }

    /// <summary>A page of the job's history, oldest first: <c>limit</c> (1 to 1000, default 100) and the <c>next</c> link's cursor.</summary>
    private static async Task<Results<Ok<JobHistory>, ProblemHttpResult>> HistoryAsync(
        string jobId, HttpRequest request, JobLookup lookup, IJobStore store, RequestContext context, CancellationToken ct)
    {
        var (job, problem) = await FindAsync(jobId, null, lookup, ct);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Core.Validation.FieldErrors();
        var limit = HistoryCursor.DefaultLimit;
        if (request.Query.TryGetValue("limit", out var limitText)
            && !(int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= HistoryCursor.MaxLimit))
        {
            errors.Add("limit", $"must be an integer from 1 to {HistoryCursor.MaxLimit}");
        }

        string? after = null;
        if (request.Query.TryGetValue("next", out var nextText) && (after = HistoryCursor.Decode(nextText.ToString())) is null)
        {
            errors.Add("next", "is not a cursor this endpoint gave out (use the next link as it is)");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors, "history parameters");
        }

        var page = await store.GetHistoryAsync(job!.Id, after, limit, ct);
        var links = new List<Link> { new(context.Links.Url(request.Path + request.QueryString), "self", "application/json", "this page") };
        if (page.Next is { } next)
        {
            var query = QueryString.Create([new KeyValuePair<string, string?>("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)), new KeyValuePair<string, string?>("next", HistoryCursor.Encode(next))]);
            links.Add(new Link(context.Links.Url(request.Path + query), "next", "application/json", "next page"));
        }

        return TypedResults.Ok(new JobHistory(job.Id, page.Events, links));
    }

    private static async Task<Results<Ok<UpdateAccepted>, ProblemHttpResult>> UpdateAsync(
        string jobId, HttpRequest request, IJobStore store, RequestContext context, WrongTokenLimiter wrongTokens, CancellationToken ct)
    {
        var (bytes, tooLarge) = await RequestBody.ReadAsync(request, context.Options.MaxUpdateBytes, "update message", ct);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var read = UpdateMessageReader.Read(bytes);
        if (!read.IsValid)
        {
            return Problems.Invalid(read.Errors, "update message");
        }

        var message = read.Value!;
        if (message.JobId != jobId)
        {
            var errors = new Core.Validation.FieldErrors();
            errors.Add("job-id", $"is {message.JobId} but the path names job {jobId}");
            return Problems.Invalid(errors, "update message");
        }

        // A job that had its share of wrong tokens: another wrong one is refused before anything
        // is stored (the right token still gets through).
        if (wrongTokens.Exhausted(jobId) is { } exhausted)
        {
            using (exhausted)
            {
                var current = await store.GetAsync(jobId, ct);
                if (current is not null && !UpdateToken.Verify(message.Token, current.TokenSha256))
                {
                    request.HttpContext.Response.Headers.RetryAfter = WrongTokenLimiter.RetryAfterSeconds(exhausted);
                    return Problems.Problem(StatusCodes.Status429TooManyRequests, ProblemTypes.TooManyRequests, "Too many wrong update tokens",
                        $"Job {jobId} received too many updates with a wrong token; retry after the time in Retry-After, with the updateToken returned when the job was created.");
                }
            }
        }

        var result = (await store.ApplyAsync([new JobUpdate(message, EventSources.Api)], ct))[0];
        if (result.Outcome == UpdateOutcomeKind.Rejected)
        {
            wrongTokens.Count(jobId);
        }

        // The job's status after the update, so a worker learns that its job was dismissed and stops.
        var jobStatus = result.IsDone ? (await store.GetAsync(jobId, ct))?.Status.ToOgcValue() : null;
        return result.Outcome switch
        {
            UpdateOutcomeKind.Applied or UpdateOutcomeKind.Superseded or UpdateOutcomeKind.Duplicate =>
                TypedResults.Ok(new UpdateAccepted(result.UpdateId, result.JobId, result.Outcome.ToString().ToLowerInvariant(), result.Reason, jobStatus)),
            UpdateOutcomeKind.JobNotFound => Problems.NoSuchJob(jobId),
            UpdateOutcomeKind.Rejected => Problems.Problem(
                StatusCodes.Status403Forbidden, ProblemTypes.InvalidUpdateToken, "Update refused",
                $"{result.Reason}. Use the updateToken returned when job {jobId} was created."),
            _ => throw new StoreUnavailableException($"The store asked to retry update {result.UpdateId}: {result.Reason}"),
        };
    }
}
