using Jobs.Api.Http;
using Jobs.Api.Ogc;

namespace Jobs.Api.Endpoints;

/// <summary><c>GET /</c> and <c>GET /conformance</c>.</summary>
public static class LandingApi
{
    private const string Conf = "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/";

    /// <summary>The conformance classes claimed (each fully met; Callback is not claimed).</summary>
    public static readonly IReadOnlyList<string> ConformsTo =
    [
        Conf + "core", Conf + "ogc-process-description", Conf + "json", Conf + "oas30", Conf + "job-list", Conf + "dismiss",
    ];

    public static IEndpointRouteBuilder MapLanding(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Capabilities").AllowAnonymous();

        group.MapGet("/", (RequestContext context) =>
        {
            var links = context.Links;
            return TypedResults.Ok(new LandingPage(
                "Jobs",
                "Job index and search API: OGC API - Processes jobs, worker updates, and Elasticsearch-compatible search.",
                [
                    new Link(links.Url("/"), "self", "application/json", "this document"),
                    new Link(links.Url("/openapi/v1.json"), "service-desc", "application/vnd.oai.openapi+json;version=3.0", "the API definition"),
                    new Link(links.Url("/docs"), "service-doc", "text/html", "the API browser"),
                    new Link(links.Url("/conformance"), Rels.Conformance, "application/json", "conformance classes"),
                    new Link(links.Url("/processes"), Rels.Processes, "application/json", "deployed processes"),
                    new Link(links.Url("/jobs"), Rels.JobList, "application/json", "jobs"),
                    new Link(links.Url("/jobs/_search"), "search", "application/json", "Elasticsearch-compatible search of the jobs"),
                ]));
        }).WithName("GetLandingPage").WithSummary("Landing page");

        group.MapGet("/conformance", () => TypedResults.Ok(new ConformanceDeclaration(ConformsTo)))
            .WithName("GetConformance").WithSummary("Conformance classes this API implements");

        return app;
    }
}
