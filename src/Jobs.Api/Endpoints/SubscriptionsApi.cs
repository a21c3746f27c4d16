using System.Text.Json.Nodes;
using Jobs.Api.Http;
using Jobs.Api.Identity;
using Jobs.Core.Notifications;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Endpoints;

/// <summary>
/// Subscriptions (docs/notifications.md): a job's own (<c>/jobs/{id}/subscriptions</c>) and
/// filtered ones over every job the caller may see (<c>/subscriptions</c>), their deliveries.
/// Owned by the caller who made them; another user's subscription is a 404, as another user's job.
/// The secret that signs the deliveries is in the 201 answer only.
/// </summary>
public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptions(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/jobs/{jobId}/subscriptions").WithTags("Subscriptions").AddEndpointFilter(RequireOutbox);
        jobs.MapPost("/", CreateForJobAsync).WithName("SubscribeToJob")
            .WithSummary("Subscribe to one job's events (webhook or mailto:); the answer carries the signing secret once")
            .WithJsonBody("a subscription: url, event or events, persistent");
        jobs.MapGet("/", ListForJobAsync).WithName("ListJobSubscriptions").WithSummary("The job's subscriptions");
        jobs.MapDelete("/{subscriptionId}", DeleteForJobAsync).WithName("DeleteJobSubscription").WithSummary("Delete one of the job's subscriptions");

        var all = app.MapGroup("/subscriptions").WithTags("Subscriptions").AddEndpointFilter(RequireOutbox);
        all.MapPost("/", CreateFilteredAsync).WithName("Subscribe")
            .WithSummary("Subscribe to the events of every job you may see that matches a filter (labels, status, process, DSL query)")
            .WithJsonBody("a subscription: url, event or events, persistent, filter");
        all.MapGet("/", ListAsync).WithName("ListSubscriptions").WithSummary("Your subscriptions (every one, for an administrator)");
        all.MapGet("/{subscriptionId}", GetAsync).WithName("GetSubscription").WithSummary("One subscription");
        all.MapDelete("/{subscriptionId}", DeleteAsync).WithName("DeleteSubscription").WithSummary("Delete a subscription and its pending deliveries");
        all.MapGet("/{subscriptionId}/deliveries", DeliveriesAsync).WithName("ListDeliveries")
            .WithSummary("A subscription's deliveries, newest first: tries, status codes, errors");
        return app;
    }

    /// <summary>Subscriptions need job events: without an outbox or an events queue every route answers 501, and nothing opens the state.</summary>
    private static async ValueTask<object?> RequireOutbox(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        EventsApi.NotificationsAvailable(context.HttpContext.RequestServices) ? await next(context) : EventsApi.NoNotifications();

    private static async Task<IResult> CreateForJobAsync(string jobId, HttpRequest request, JobLookup lookup, INotificationStore state, RequestContext context, CancellationToken ct)
    {
        if (await lookup.FindAsync(jobId, null, ct) is null)
        {
            return Problems.NoSuchJob(jobId);
        }

        return await CreateAsync(request, jobId, state, null, context, ct);
    }

    private static Task<IResult> CreateFilteredAsync(HttpRequest request, INotificationStore state, IJobStore store, RequestContext context, CancellationToken ct) =>
        CreateAsync(request, null, state, store, context, ct);

    private static async Task<IResult> CreateAsync(HttpRequest request, string? jobId, INotificationStore state, IJobStore? store, RequestContext context, CancellationToken ct)
    {
        var (bytes, tooLarge) = await RequestBody.ReadAsync(request, context.Options.MaxRequestBytes, "subscription", ct);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var (document, problem) = RequestBody.ParseJson(bytes, "subscription");
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var read = SubscriptionRequestReader.Read(document!.RootElement, forJob: jobId is not null);
            if (!read.IsValid)
            {
                return Problems.Invalid(read.Errors, "subscription");
            }

            var wanted = read.Value!;
            if (wanted.Query is { } query && store is not null)
            {
                try
                {
                    // The store's own parser judges the query (a search it cannot run is refused now, not at delivery).
                    await store.CountAsync(new JsonObject { ["query"] = JsonNode.Parse(query) }, ct);
                }
                catch (SearchException e)
                {
                    return Problems.InvalidParameter("filter.query", e.Message);
                }
            }

            var caller = context.Caller;
            var subscription = new Subscription
            {
                Id = SubscriptionFactory.NewId(),
                Owner = caller.UserId,
                OwnerIsAdmin = caller.IsAdmin,
                JobId = jobId,
                Url = wanted.Url,
                Events = wanted.Events,
                Persistent = wanted.Persistent,
                Filter = wanted.Filter,
                Query = wanted.Query,
                Secret = WebhookSignature.NewSecret(),
                Created = context.Now,
            };
            await state.AddSubscriptionsAsync([subscription], ct);
            var body = View(subscription, context);
            body["secret"] = subscription.Secret;
            return TypedResults.Created(context.Links.Url($"/subscriptions/{subscription.Id}"), body);
        }
    }

    private static async Task<IResult> ListForJobAsync(string jobId, JobLookup lookup, INotificationStore state, RequestContext context, CancellationToken ct)
    {
        if (await lookup.FindAsync(jobId, null, ct) is null)
        {
            return Problems.NoSuchJob(jobId);
        }

        var caller = context.Caller;
        var list = await state.ListSubscriptionsAsync(caller.IsAdmin ? null : caller.UserId, jobId, ct);
        return TypedResults.Ok(new JsonObject { ["subscriptions"] = new JsonArray([.. list.Select(s => (JsonNode)View(s, context))]) });
    }

    private static async Task<IResult> DeleteForJobAsync(string jobId, string subscriptionId, JobLookup lookup, INotificationStore state, RequestContext context, CancellationToken ct)
    {
        if (await lookup.FindAsync(jobId, null, ct) is null)
        {
            return Problems.NoSuchJob(jobId);
        }

        var found = await FindAsync(subscriptionId, state, context, ct);
        if (found is null || found.JobId != jobId)
        {
            return NoSuchSubscription(subscriptionId);
        }

        await state.DeleteSubscriptionAsync(subscriptionId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListAsync(INotificationStore state, RequestContext context, CancellationToken ct)
    {
        var caller = context.Caller;
        var list = await state.ListSubscriptionsAsync(caller.IsAdmin ? null : caller.UserId, null, ct);
        return TypedResults.Ok(new JsonObject { ["subscriptions"] = new JsonArray([.. list.Select(s => (JsonNode)View(s, context))]) });
    }

    private static async Task<IResult> GetAsync(string subscriptionId, INotificationStore state, RequestContext context, CancellationToken ct) =>
        await FindAsync(subscriptionId, state, context, ct) is { } s ? TypedResults.Ok(View(s, context)) : NoSuchSubscription(subscriptionId);

    private static async Task<IResult> DeleteAsync(string subscriptionId, INotificationStore state, RequestContext context, CancellationToken ct)
    {
        if (await FindAsync(subscriptionId, state, context, ct) is null)
        {
            return NoSuchSubscription(subscriptionId);
        }

        await state.DeleteSubscriptionAsync(subscriptionId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> DeliveriesAsync(string subscriptionId, HttpRequest request, INotificationStore state, RequestContext context, CancellationToken ct)
    {
        if (await FindAsync(subscriptionId, state, context, ct) is null)
        {
            return NoSuchSubscription(subscriptionId);
        }

        var limit = 100;
        if (request.Query["limit"].FirstOrDefault() is { } text && (!int.TryParse(text, out limit) || limit is < 1 or > 1000))
        {
            return Problems.InvalidParameter("limit", "must be an integer from 1 to 1000");
        }

        var deliveries = await state.ListDeliveriesAsync(subscriptionId, limit, ct);
        return TypedResults.Ok(new JsonObject { ["deliveries"] = new JsonArray([.. deliveries.Select(d => (JsonNode)View(d))]) });
    }

    /// <summary>The subscription if the caller owns it (or is an administrator); else null, as if it did not exist.</summary>
    private static async Task<Subscription?> FindAsync(string id, INotificationStore state, RequestContext context, CancellationToken ct)
    {
        var s = await state.GetSubscriptionAsync(id, ct);
        var caller = context.Caller;
        return s is not null && (caller.IsAdmin || (caller.UserId.Length > 0 && s.Owner == caller.UserId)) ? s : null;
    }

    private static ProblemHttpResult NoSuchSubscription(string id) => Problems.Problem(
        StatusCodes.Status404NotFound, ProblemTypes.NoSuchSubscription, "No such subscription",
        $"There is no subscription '{id}'. List yours with GET /subscriptions.");

    private static JsonObject View(Subscription s, RequestContext context)
    {
        var view = new JsonObject
        {
            ["id"] = s.Id,
            ["url"] = s.Url,
            ["events"] = new JsonArray([.. s.Events.Select(e => (JsonNode)e)]),
            ["persistent"] = s.Persistent,
            ["active"] = s.Active,
            ["owner"] = s.Owner,
            ["created"] = Core.Json.UtcTimestampJsonConverter.ToText(s.Created),
        };
        if (s.JobId is not null)
        {
            view["jobID"] = s.JobId;
        }
        else
        {
            var filter = new JsonObject();
            if (s.Filter.Labels.Count > 0)
            {
                filter["labels"] = new JsonArray([.. s.Filter.Labels.Select(l => (JsonNode)l)]);
            }

            if (s.Filter.Statuses.Count > 0)
            {
                filter["status"] = new JsonArray([.. s.Filter.Statuses.Select(st => (JsonNode)Core.Jobs.JobStatuses.ToOgcValue(st))]);
            }

            if (s.Filter.Process is not null)
            {
                filter["process"] = s.Filter.Process;
            }

            if (s.Query is not null)
            {
                filter["query"] = JsonNode.Parse(s.Query);
            }

            view["filter"] = filter;
        }

        if (s.Style != DeliveryStyle.Event)
        {
            view["style"] = s.Style == DeliveryStyle.OgcResults ? "ogc-results" : "ogc-status-info";
        }

        var self = context.Links.Url($"/subscriptions/{s.Id}");
        view["links"] = new JsonArray(
            new JsonObject { ["href"] = self, ["rel"] = "self", ["type"] = "application/json" },
            new JsonObject { ["href"] = self + "/deliveries", ["rel"] = "deliveries", ["type"] = "application/json" });
        return view;
    }

    private static JsonObject View(Delivery d) => new()
    {
        ["id"] = d.Id,
        ["eventID"] = d.EventId,
        ["event"] = d.EventType,
        ["jobID"] = d.JobId,
        ["url"] = d.Url,
        ["state"] = d.State.ToString().ToLowerInvariant(),
        ["created"] = Core.Json.UtcTimestampJsonConverter.ToText(d.Created),
        ["nextAttempt"] = d.State == DeliveryState.Pending ? Core.Json.UtcTimestampJsonConverter.ToText(d.NextAttempt) : null,
        ["attempts"] = new JsonArray([.. d.Attempts.Select(a => (JsonNode)new JsonObject
        {
            ["time"] = Core.Json.UtcTimestampJsonConverter.ToText(a.Time),
            ["statusCode"] = a.StatusCode,
            ["error"] = a.Error,
            ["milliseconds"] = Math.Round(a.Milliseconds, 1),
        })]),
    };
}
