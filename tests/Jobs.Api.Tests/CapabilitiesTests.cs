using System.Net;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests;

public class CapabilitiesTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Landing_page_links_the_api_definition_conformance_processes_and_jobs()
    {
        var page = await _client.GetJsonAsync("/");

        OgcSchemas.AssertValid("landingPage", page);
        var rels = page["links"]!.AsArray().Select(l => l!["rel"]!.GetValue<string>()).ToList();
        Assert.Contains("service-desc", rels);
        Assert.Contains("service-doc", rels);
        Assert.Contains("http://www.opengis.net/def/rel/ogc/1.0/conformance", rels);
        Assert.Contains("http://www.opengis.net/def/rel/ogc/1.0/processes", rels);
        Assert.Contains("http://www.opengis.net/def/rel/ogc/1.0/job-list", rels);
    }

    [Fact]
    public async Task Conformance_lists_the_classes_implemented()
    {
        var conformance = await _client.GetJsonAsync("/conformance");

        OgcSchemas.AssertValid("confClasses", conformance);
        var classes = conformance["conformsTo"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/core", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/job-list", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/dismiss", classes);
        Assert.DoesNotContain("http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/callback", classes);
    }

    [Fact]
    public async Task OpenApi_document_describes_every_route()
    {
        var document = await _client.GetJsonAsync("/openapi/v1.json");

        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var path in (string[])["/", "/conformance", "/processes", "/processes/{processId}", "/processes/{processId}/jobs",
                     "/processes/{processId}/execution", "/jobs", "/jobs/{jobId}", "/jobs/{jobId}/results", "/jobs/{jobId}/history",
                     "/jobs/{jobId}/updates", "/jobs/_search", "/jobs/_count", "/jobs/_mapping", "/jobs/_doc/{id}", "/health", "/health/live"])
        {
            Assert.Contains(path, paths);
        }
    }

    [Fact]
    public async Task Api_browser_is_served_at_docs()
    {
        var response = await _client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_route_is_a_problem_not_an_empty_404()
    {
        var response = await _client.GetAsync("/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cross_origin_requests_may_read_the_location_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Origin", "https://viewer.example.org");

        var response = await _client.SendAsync(request);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Location", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.Ordinal);
    }
}
