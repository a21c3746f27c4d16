using System.Text.Json;
using Jobs.UpdatesFunction.Consumer;
using Microsoft.Extensions.Options;

namespace Jobs.UpdatesFunction.Lambda;

/// <summary>
/// The Lambda side: the AWS Lambda Web Adapter POSTs each SQS event to <c>/events</c> and returns
/// our JSON body as the function result, so the answer is always
/// <c>{"batchItemFailures":[…]}</c> naming the messages to deliver again.
/// </summary>
public static partial class EventsEndpoints
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapPost("/events", HandleEventAsync);
        return app;
    }

    private static async Task<IResult> HandleEventAsync(
        HttpRequest request,
        UpdateBatchProcessor processor,
        IOptions<UpdatesOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(EventsEndpoints));
        List<QueueMessage> messages;
        string? sourceArn;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            (messages, sourceArn) = SqsEvent.Read(document.RootElement);
        }
        catch (JsonException e)
        {
            // No message ids to name. A 500 fails the invoke when AWS_LWA_ERROR_STATUS_CODES covers it,
            // and an empty itemIdentifier fails the whole batch when it does not: either way nothing is lost.
            LogUnreadableEvent(logger, e.Message);
            return Results.Json(new BatchResponse([new BatchItemFailure("")]), statusCode: StatusCodes.Status500InternalServerError);
        }

        try
        {
            var outcome = await processor.ProcessAsync(messages, options.Value.IsFifo(sourceArn), cancellationToken);
            return TypedResults.Json(BatchResponse.For(outcome.FailedMessageIds));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogBatchCrashed(logger, e, messages.Count);
            return Results.Json(BatchResponse.For(messages.Select(m => m.MessageId)), statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "POST /events: not an SQS event ({Problem}); the invoke fails and the batch is delivered again")]
    private static partial void LogUnreadableEvent(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "POST /events: a batch of {Count} messages failed unexpectedly; all of them are delivered again")]
    private static partial void LogBatchCrashed(ILogger logger, Exception exception, int count);
}
