using Jobs.Api.Http;
using Jobs.Api.Ogc;
using Jobs.Core.Dispatch;
using Jobs.Core.Execution;
using Jobs.Core.Jobs;
using Jobs.Core.Notifications;
using Jobs.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Endpoints;

/// <summary>
/// Execute a process: the seed's WPS-T form <c>POST /processes/{id}:{version}/jobs</c> and the
/// OGC 1.0 form <c>POST /processes/{id}/execution</c>. Both record a job (status submitted /
/// accepted) and answer 201 with its statusInfo, a Location header and the job's update token.
/// With an <c>Idempotency-Key</c> header, the same request again within 24 hours answers 200 with
/// the job it created (same Location, no token); the key with another request is a 422.
/// </summary>
public static class ExecuteApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapExecute(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes").WithTags("Execution");
        group.MapPost("/{processId}/jobs", (string processId, HttpRequest request, IProcessRegistry registry, IJobStore store, RequestContext context, IdempotencyGate gate, CancellationToken ct)
                => ExecuteAsync(ProcessRef.Parse(processId), request, registry, store, context, gate, preferAsync: false, ct))
            .WithName("ExecuteWpsT")
            .WithSummary("Execute (WPS-T form): processId is id:version, or id for the latest version; Idempotency-Key makes a retry safe")
            .WithJsonBody("an execute request: seed/WPS-T encoding (inputs as [{id, data}]) or OGC 1.0 (inputs as a map), plus labels", OpenApiBodies.ExecuteRequest());
        group.MapPost("/{processId}/execution", (string processId, HttpRequest request, IProcessRegistry registry, IJobStore store, RequestContext context, IdempotencyGate gate, CancellationToken ct)
                => ExecuteAsync(ProcessRef.Parse(processId), request, registry, store, context, gate, PrefersAsync(request), ct))
            .WithName("Execute")
            .WithSummary("Execute (OGC API - Processes 1.0): always asynchronous, honours Prefer: respond-async; Idempotency-Key makes a retry safe")
            .WithJsonBody("an OGC 1.0 execute request (inputs as a map), or the seed encoding", OpenApiBodies.ExecuteRequest());
        return app;
    }

    private static bool PrefersAsync(HttpRequest request) =>
        request.Headers["Prefer"].Any(v => v is not null && v.Contains("respond-async", StringComparison.OrdinalIgnoreCase));

    private static async Task<Results<Created<StatusInfo>, Ok<StatusInfo>, ProblemHttpResult>> ExecuteAsync(
        ProcessRef reference,
        HttpRequest request,
        IProcessRegistry registry,
        IJobStore store,
        RequestContext context,
        IdempotencyGate gate,
        bool preferAsync,
        CancellationToken ct)
    {
        var process = await registry.GetAsync(reference.Id, reference.Version, ct);
        if (process is null)
        {
            return Problems.NoSuchProcess(reference.ToString());
        }

        var (bytes, tooLarge) = await RequestBody.ReadAsync(request, context.Options.MaxRequestBytes, "execute request", ct);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        IdempotencyRecord? idempotency = null;
        if (request.Headers.TryGetValue(IdempotencyKeyHeader, out var header))
        {
            if (header.Count != 1 || IdempotencyRecord.ParseKey(header[0]!) is not { } key)
            {
                return Problems.InvalidParameter(IdempotencyKeyHeader, $"must be one key of 1 to {IdempotencyRecord.MaxKeyLength} visible ASCII characters, such as a UUID");
            }

            idempotency = new IdempotencyRecord(IdempotencyRecord.HashKey(context.UserId, key), IdempotencyRecord.HashRequest(reference.ToString(), bytes.Span));
        }

        using var held = idempotency is null ? null : await gate.EnterAsync(idempotency.KeySha256, ct);
        if (idempotency is not null && await EarlierAsync(idempotency, store, context, ct) is { } earlier)
        {
            return Replay(earlier, idempotency, request, context);
        }

        var (document, problem) = RequestBody.ParseJson(bytes, "execute request");
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var execute = ExecuteRequestReader.Read(document!.RootElement);
            if (!execute.IsValid)
            {
                return Problems.Invalid(execute.Errors, "execute request");
            }

            var view = process.View();
            var inputErrors = ExecuteInputChecker.Check(execute.Value!, view);
            if (inputErrors.Any)
            {
                return Problems.Invalid(inputErrors, "execute request");
            }

            var services = request.HttpContext.RequestServices;
            var created = JobFactory.Create(view, execute.Value!, context.UserId, context.Now, idempotency, services.GetRequiredService<IUpdateTokenSource>());

            // The job's subscriptions exist before the job does, so its `created` event finds them.
            var subscriptions = SubscriptionFactory.FromExecute(execute.Value!, created.Job.Id, context.UserId, context.Caller.IsAdmin, context.Now);
            if (subscriptions.Count > 0)
            {
                if (!EventsApi.NotificationsAvailable(services))
                {
                    return EventsApi.NoNotifications();
                }

                await services.GetRequiredService<INotificationStore>().AddSubscriptionsAsync(subscriptions, ct);
            }

            if (!await store.CreateAsync(created.Job, ct))
            {
                // A UUID v7 collision: practically impossible, but never overwrite a job.
                throw new InvalidOperationException($"Job id {created.Job.Id} already exists.");
            }

            // Stored, token in hand: hand the job to what runs it (Jobs:Dispatch:Mode; queued, awaited only up to Jobs:Dispatch:WaitBeforeAnswer).
            await services.GetRequiredService<IJobDispatcher>().DispatchAsync(new DispatchRequest(created.Job, created.UpdateToken, process, context.Links.Url("")), CancellationToken.None);

            if (preferAsync)
            {
                request.HttpContext.Response.Headers["Preference-Applied"] = "respond-async";
            }

            var links = context.Links;
            var status = StatusInfoMapper.ToStatusInfo(created.Job, links, detailed: true) with
            {
                UpdateToken = created.UpdateToken,
                Notifications = subscriptions.Count > 0 ? [.. subscriptions.Select(s => new CreatedSubscription(s.Id, s.Url, s.Events, s.Secret))] : null,
            };
            return TypedResults.Created(JobUrl(created.Job, context), status);
        }
    }

    /// <summary>The job this caller created with the same key within the window, if any.</summary>
    private static async Task<JobDocument?> EarlierAsync(IdempotencyRecord idempotency, IJobStore store, RequestContext context, CancellationToken ct)
    {
        var job = await store.FindByIdempotencyKeyAsync(idempotency.KeySha256, ct);
        return job is { Idempotency: not null } && job.Created > context.Now - IdempotencyRecord.Window ? job : null;
    }

    /// <summary>
    /// A retry: 200 with the job as it is now and its Location. The update token is not in it:
    /// only its hash is stored, and the first answer was the one place it was given out.
    /// </summary>
    private static Results<Created<StatusInfo>, Ok<StatusInfo>, ProblemHttpResult> Replay(
        JobDocument earlier, IdempotencyRecord idempotency, HttpRequest request, RequestContext context)
    {
        if (earlier.Idempotency!.RequestSha256 != idempotency.RequestSha256)
        {
            return Problems.Problem(
                StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "Idempotency key reused",
                $"The {IdempotencyKeyHeader} was used within the last {IdempotencyRecord.Window.TotalHours:0} hours for another request (job {earlier.Id}): "
                + "a retry must send the same process and the same body; use a new key for a new job.",
                new Dictionary<string, object?> { ["jobID"] = earlier.Id });
        }

        request.HttpContext.Response.Headers.Location = JobUrl(earlier, context);
        return TypedResults.Ok(StatusInfoMapper.ToStatusInfo(earlier, context.Links, detailed: true));
    }

    private static string JobUrl(JobDocument job, RequestContext context) => context.Links.Url($"/jobs/{LinkBuilder.Escape(job.Id)}");
}
