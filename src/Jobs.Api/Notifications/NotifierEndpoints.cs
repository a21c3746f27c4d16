using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Api.Http;
using Jobs.Notifications;
using Jobs.Notifications.Queue;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Notifications;

/// <summary>
/// The notifier role of the API host (<c>Jobs:Notifications:Notifier</c>, the AWS notifier
/// function; docs/notifications.md, "On AWS"): the Lambda Web Adapter POSTs each non-HTTP
/// invocation to <c>/notifier/events</c> (<c>AWS_LWA_PASS_THROUGH_PATH</c>). An SQS batch of job
/// events is answered with the partial batch failures; a scheduled event runs the tick. The
/// route exists only in this role, on a function no HTTP API fronts; the API renders the
/// deliveries, which is why the notifier is this host and not another.
/// </summary>
public static class NotifierEndpoints
{
    public const string Path = "/notifier/events";

    public static IEndpointRouteBuilder MapNotifier(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value.Notifier)
        {
            app.MapPost(Path, HandleAsync).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, QueuedEvents notifier, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return Problems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "Not an event", $"The body is not JSON: {e.Message}");
        }

        using (document)
        {
            if (LambdaEvent.SqsRecords(document.RootElement) is { } records)
            {
                var failed = await notifier.HandleAsync(records, ct);
                var failures = new JsonArray([.. failed.Select(id => (JsonNode)new JsonObject { ["itemIdentifier"] = id })]);
                return Results.Text(new JsonObject { ["batchItemFailures"] = failures }.ToJsonString(), "application/json");
            }

            if (LambdaEvent.IsScheduled(document.RootElement))
            {
                var tick = await notifier.TickAsync(ct);
                return Results.Text(new JsonObject { ["swept"] = tick.Swept, ["stalled"] = tick.Stalled, ["sent"] = tick.Sent }.ToJsonString(), "application/json");
            }
        }

        return Problems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "Not an event",
            "Expected an SQS event ({\"Records\": [...]}) or a scheduled event (\"detail-type\": \"Scheduled Event\").");
    }
}
