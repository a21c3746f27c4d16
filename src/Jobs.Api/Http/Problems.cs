using Jobs.Core.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Jobs.Api.Http;

/// <summary>RFC 9457 problem details for every error the API returns.</summary>
public static class Problems
{
    public static ProblemHttpResult Problem(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult NoSuchProcess(string processRef) => Problem(
        StatusCodes.Status404NotFound, ProblemTypes.NoSuchProcess, "No such process",
        $"Process '{processRef}' is not deployed. List the deployed processes with GET /processes, or deploy it with POST /processes.");

    public static ProblemHttpResult NoSuchJob(string jobId) => Problem(
        StatusCodes.Status404NotFound, ProblemTypes.NoSuchJob, "No such job",
        $"There is no job '{jobId}'. List jobs with GET /jobs.");

    /// <summary>400 with an <c>errors</c> map: JSON path of each offending field -> what is wrong.</summary>
    public static ProblemHttpResult Invalid(FieldErrors errors, string what) => Problem(
        StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, $"Invalid {what}",
        errors.ToString(), new Dictionary<string, object?> { ["errors"] = errors.ToDictionary() });

    public static ProblemHttpResult InvalidParameter(string name, string message) => Problem(
        StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "Invalid parameter",
        $"{name}: {message}", new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [name] = [message] } });

    public static ProblemHttpResult TooLarge(long size, int limit, string what) => Problem(
        StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Request body too large",
        $"The {what} is {(size < 0 ? "more than " + limit : size)} bytes; at most {limit} bytes are accepted.");
}
