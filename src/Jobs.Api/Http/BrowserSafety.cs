using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Jobs.Api.Http;

/// <summary>
/// What keeps other web sites out: a write must declare a JSON body (<c>text/plain</c>, form
/// and missing content types are what a page can send cross-site without a CORS preflight, so
/// they are refused: 415, or Elasticsearch's 406 on its surfaces), and every response carries
/// headers that forbid framing and content sniffing (the API browser is an HTML page).
/// CORS itself is off unless <c>Jobs:Api:CorsOrigins</c> lists origins.
/// </summary>
public sealed class BrowserSafety(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        headers["Referrer-Policy"] = "no-referrer";

        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !HasBody(context) || IsJson(request.ContentType))
        {
            return next(context);
        }

        var given = string.IsNullOrEmpty(request.ContentType) ? "(none)" : request.ContentType;
        if (context.GetEndpoint()?.Metadata.GetMetadata<ElasticsearchSurface>() is not null)
        {
            // Elasticsearch's own answer to such a request.
            return Results.Json(new { error = $"Content-Type header [{given}] is not supported", status = 406 }, statusCode: 406).ExecuteAsync(context);
        }

        return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported content type",
            $"The body's Content-Type is {given}; send it as JSON with Content-Type: application/json.").ExecuteAsync(context);
    }

    private static bool HasBody(HttpContext context) =>
        context.Request.ContentLength is { } length ? length > 0 : context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;

    /// <summary><c>application/json</c>, <c>application/*+json</c> (<c>vnd.elasticsearch+json</c>) or <c>application/x-ndjson</c>.</summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
        && (media.SubType.Equals("json", StringComparison.OrdinalIgnoreCase)
            || media.SubType.Equals("x-ndjson", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
