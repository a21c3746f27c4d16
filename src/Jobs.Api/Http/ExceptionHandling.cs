using Jobs.Core.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Jobs.Api.Http;

/// <summary>
/// Turns what escapes an endpoint into problem details: a store outage is 503 (retry later), a
/// malformed HTTP request keeps its 4xx, anything else is 500 and logged.
/// </summary>
public sealed class ExceptionHandling(IProblemDetailsService problems, ILogger<ExceptionHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            StoreUnavailableException e => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = ProblemTypes.StoreUnavailable,
                Title = "Store unavailable",
                Detail = $"{e.Message} Nothing was changed; retry in a few seconds.",
            },
            BadHttpRequestException e => new ProblemDetails
            {
                Status = e.StatusCode,
                Type = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? ProblemTypes.PayloadTooLarge : ProblemTypes.InvalidRequest,
                Title = "Bad request",
                Detail = e.Message,
            },
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Type = ProblemTypes.ServerError,
                Title = "Server error",
                Detail = "An unexpected error occurred; it has been logged.",
            },
        };

        if (problem is null)
        {
            return true;
        }

        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}
