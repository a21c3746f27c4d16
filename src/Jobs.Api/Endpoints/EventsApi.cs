using Microsoft.AspNetCore.Http.HttpResults;
using System.Text;
using System.Text.Json;
using Jobs.Api.Http;
using Jobs.Api.Identity;
using Jobs.Api.Ogc;
using Jobs.Core.Jobs;
using Jobs.Core.Notifications;
using Jobs.Notifications;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Endpoints;

/// <summary>
/// Live job events as Server-Sent Events (docs/architecture.md, "Events out"): one job's
/// (<c>/jobs/{id}/events</c>, from its first event) or every visible job's, filtered
/// (<c>/jobs/events</c>, from now). Both read the store's outbox after a cursor, so a client that
/// reconnects with <c>Last-Event-ID</c> (or <c>?after=</c>) gets exactly what it missed.
/// </summary>
public static class EventsApi
{
    private const int PageSize = 256;

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/jobs").WithTags("Events");
        events.MapGet("/events", AllAsync).WithName("StreamJobEvents")
            .WithSummary("Live events of the caller's jobs (Server-Sent Events); labels, status, process filters; resumes from Last-Event-ID")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        events.MapGet("/{jobId}/events", JobAsync).WithName("StreamJobEventsOfJob")
            .WithSummary("Live events of one job (Server-Sent Events), from its first; resumes from Last-Event-ID")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return app;
    }

    private static async Task<IResult> AllAsync(HttpContext http, RequestContext context, CancellationToken ct)
    {
        if (http.RequestServices.GetService<IJobOutbox>() is not { } outbox)
        {
            return NoOutbox();
        }

        var query = http.Request.Query;
        var statuses = new List<JobStatus>();
        foreach (var value in query["status"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!JobStatuses.TryParse(value, out var status))
            {
                return Problems.InvalidParameter("status", $"'{value}' is not a status (accepted, running, successful, failed, dismissed, or the index names)");
            }

            statuses.Add(status);
        }

        var filter = new JobFilter
        {
            Labels = [.. query["labels"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
            Statuses = statuses,
            Process = query["process"].FirstOrDefault() is { Length: > 0 } p ? p : null,
        };
        if (!TryStart(http.Request, outbox.Head, out var start, out var problem))
        {
            return problem!;
        }

        var caller = context.Caller;
        await StreamAsync(http, outbox, null, start, e => caller.CanSee(e.Job) && filter.Matches(e.Job), context, ct);
        return Results.Empty;
    }

    private static async Task<IResult> JobAsync(string jobId, HttpContext http, JobLookup lookup, RequestContext context, CancellationToken ct)
    {
        if (http.RequestServices.GetService<IJobOutbox>() is not { } outbox)
        {
            return NoOutbox();
        }

        if (await lookup.FindAsync(jobId, null, ct) is null)
        {
            return Problems.NoSuchJob(jobId);
        }

        if (!TryStart(http.Request, 0, out var start, out var problem))
        {
            return problem!;
        }

        await StreamAsync(http, outbox, jobId, start, _ => true, context, ct);
        return Results.Empty;
    }

    /// <summary>The store in use keeps no readable outbox (docs/notifications.md, "Which stores").</summary>
    internal static IResult NoOutbox() => Problems.Problem(
        StatusCodes.Status501NotImplemented, ProblemTypes.NotImplemented, "No live job events on this store",
        "Live streams read the embedded store's outbox; the Elasticsearch store publishes its job events to a queue instead, for subscriptions (webhooks, e-mail). Subscribe, or run the API on the embedded store for streams.");

    /// <summary>Whether subscriptions can be served: the store keeps an outbox (embedded) or publishes its events (Elasticsearch with an events queue).</summary>
    internal static bool NotificationsAvailable(IServiceProvider services) =>
        services.GetService<IJobOutbox>() is not null || services.GetService<IEventPublisher>() is not null;

    /// <summary>Neither an outbox nor an events queue: subscriptions would never fire.</summary>
    internal static ProblemHttpResult NoNotifications() => Problems.Problem(
        StatusCodes.Status501NotImplemented, ProblemTypes.NotImplemented, "No notifications on this store",
        "The configured store keeps no outbox of job events and publishes none: on the Elasticsearch store set Jobs__Events__QueueUrl (the stack's events queue), or use the embedded store.");

    /// <summary>Where a stream starts: after <c>Last-Event-ID</c>, else after <c>?after=</c>, else after <paramref name="fallback"/>.</summary>
    private static bool TryStart(HttpRequest request, long fallback, out long start, out IResult? problem)
    {
        problem = null;
        var (name, text) = request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 } header
            ? ("Last-Event-ID", header)
            : ("after", request.Query["after"].FirstOrDefault());
        if (string.IsNullOrEmpty(text))
        {
            start = fallback;
            return true;
        }

        if (OutboxEvent.TryParseCursor(text, out start))
        {
            return true;
        }

        problem = Problems.InvalidParameter(name, $"'{text}' is not an event id of this service (the id: line of an event)");
        return false;
    }

    private static async Task StreamAsync(
        HttpContext http, IJobOutbox outbox, string? jobId, long cursor, Func<OutboxEvent, bool> visible, RequestContext context, CancellationToken ct)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var clock = services.GetRequiredService<TimeProvider>();
        var links = context.Links;
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx and similar proxies: do not hold the stream back
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var body = response.Body;
        try
        {
            await WriteAsync(body, $"retry: {options.RetryMilliseconds}\n\n", ct);
            while (!ct.IsCancellationRequested)
            {
                var page = await outbox.ReadAsync(cursor, jobId, PageSize, ct);
                foreach (var e in page)
                {
                    cursor = e.Sequence;
                    if (visible(e))
                    {
                        var data = EventMessage.Render(e, links, json).ToJsonString(json);
                        await WriteAsync(body, $"id: {e.Cursor}\nevent: {e.Type}\ndata: {data}\n\n", ct);
                    }
                }

                if (page.Count == PageSize)
                {
                    continue;
                }

                using var idle = new CancellationTokenSource(TimeSpan.FromSeconds(options.KeepAliveSeconds), clock);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, idle.Token);
                try
                {
                    await outbox.WaitAsync(cursor, either.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await WriteAsync(body, ": keep-alive\n\n", ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away
        }
    }

    private static async Task WriteAsync(Stream body, string text, CancellationToken ct)
    {
        await body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await body.FlushAsync(ct);
    }
}
