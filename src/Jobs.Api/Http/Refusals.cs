using Jobs.Core.Search;

namespace Jobs.Api.Http;

/// <summary>
/// Writes a refusal made by a middleware (no endpoint code ran): problem details, or
/// Elasticsearch's <c>{"error":{…},"status":…}</c> on the endpoints marked <see cref="ElasticsearchSurface"/>.
/// </summary>
public static class Refusals
{
    public static Task WriteAsync(HttpContext context, int status, string problemType, string esType, string title, string detail)
    {
        context.Response.StatusCode = status;
        if (context.GetEndpoint()?.Metadata.GetMetadata<ElasticsearchSurface>() is not null)
        {
            return Results.Json(new SearchException(esType, detail, status).ToResponse(), statusCode: status).ExecuteAsync(context);
        }

        return Problems.Problem(status, problemType, title, detail).ExecuteAsync(context);
    }
}
