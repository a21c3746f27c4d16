using System.Net;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests.Identity;

/// <summary>CORS off by default, no preflight-free cross-site writes, security headers.</summary>
public class BrowserSafetyTests
{
    [Fact]
    public async Task Cors_is_off_unless_origins_are_listed()
    {
        using var factory = new JobsApiFactory();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/jobs");
        request.Headers.Add("Origin", "https://evil.example");

        var response = await factory.CreateClient().SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Listed_origins_may_read_responses_and_the_location_header_without_credentials()
    {
        using var factory = new JobsApiFactory();
        factory.Settings["Jobs:Api:CorsOrigins"] = "https://viewer.example.org, https://other.example.org";
        var client = factory.CreateClient();

        using var listed = new HttpRequestMessage(HttpMethod.Get, "/");
        listed.Headers.Add("Origin", "https://viewer.example.org");
        var response = await client.SendAsync(listed);
        Assert.Equal("https://viewer.example.org", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Location", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));

        using var unlisted = new HttpRequestMessage(HttpMethod.Get, "/");
        unlisted.Headers.Add("Origin", "https://evil.example");
        Assert.False((await client.SendAsync(unlisted)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Any_origin_must_be_listed_explicitly_and_never_gets_credentials()
    {
        using var factory = new JobsApiFactory();
        factory.Settings["Jobs:Api:CorsOrigins"] = "*";
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/jobs/_search");
        preflight.Headers.Add("Origin", "https://viewer.example.org");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");

        var response = await factory.CreateClient().SendAsync(preflight);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task Writes_that_a_page_could_send_without_a_preflight_are_refused(string? contentType)
    {
        using var factory = new JobsApiFactory();
        var client = factory.CreateClient();
        await client.DeployAsync("cross-site", "1");
        var (job, token) = await client.ExecuteAsync("cross-site:1");

        foreach (var (path, body) in (ValueTuple<string, string>[])[
            ("/processes/cross-site:1/jobs", """{"inputs":{"x":"v"}}"""),
            ("/processes", ApiCalls.Package("cross-site-2", "1")),
            ($"/jobs/{job}/updates", ApiCalls.UpdateBody(job, token, "\"status\":\"running\""))])
        {
            var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            }

            var response = await client.PostAsync(path, content);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Equal("urn:jobs:unsupported-media-type", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
        }

        Assert.Equal("accepted", (await client.GetJsonAsync($"/jobs/{job}"))["status"]!.GetValue<string>());
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Get, "/processes/cross-site-2")).Status);
    }

    [Fact]
    public async Task Html_pages_carry_security_headers()
    {
        using var factory = new JobsApiFactory();

        var response = await factory.CreateClient().GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }
}
