using Microsoft.AspNetCore.Http.Features;

namespace Jobs.Api.Http;

/// <summary>
/// Refuses a request whose target has a dot segment (<c>.</c> or <c>..</c>, also written
/// <c>%2e</c>) with a 400. Kestrel removes dot segments before routing, so
/// <c>DELETE /processes/probe:1/jobs/..</c> would otherwise arrive as
/// <c>DELETE /processes/probe:1/</c> and undeploy the process: no id of ours is a dot segment,
/// so a target with one never names what it seems to, and nothing is resolved from it.
/// </summary>
public static class DotSegmentGuard
{
    public static IApplicationBuilder UseDotSegmentGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!HasDotSegment(raw) && !HasDotSegment(context.Request.Path.Value))
        {
            await next(context);
            return;
        }

        await Problems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "Invalid path",
            "The path has a dot segment ('.' or '..', also as %2e): job and process ids never are one, and Jobs does not resolve them to another resource.")
            .ExecuteAsync(context);
    });

    /// <summary>True when a segment of the target's path is <c>.</c> or <c>..</c>, percent-encoded or not.</summary>
    public static bool HasDotSegment(string? target)
    {
        if (string.IsNullOrEmpty(target))
        {
            return false;
        }

        var end = target.IndexOfAny(['?', '#']);
        var path = end < 0 ? target : target[..end];
        foreach (var segment in path.Split('/'))
        {
            var decoded = segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
            if (decoded is "." or "..")
            {
                return true;
            }
        }

        return false;
    }
}
