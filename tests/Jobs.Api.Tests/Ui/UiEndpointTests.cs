using System.Net;

namespace Jobs.Api.Tests.Ui;

/// <summary>What the API serves under /ui, without a browser: the files, their policy, the sign-in configuration.</summary>
public sealed class UiEndpointTests
{
    [Fact]
    public async Task The_page_and_its_files_are_served_with_a_strict_content_security_policy()
    {
        using var factory = new JobsApiFactory();
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var redirect = await client.GetAsync("/ui");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.EndsWith("/ui/", redirect.Headers.Location!.ToString(), StringComparison.Ordinal);

        foreach (var (path, type) in new[] { ("/ui/", "text/html"), ("/ui/ui.css", "text/css"), ("/ui/js/main.js", "text/javascript") })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
            var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
            Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
            Assert.Contains("connect-src 'self';", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        }

        // No file of the page refers to anything outside the app (no CDN).
        var html = await client.GetStringAsync("/ui/");
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("""{"mode":"local","apiKeys":false}""", await client.GetStringAsync("/ui/config.json"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ui/missing.js")).StatusCode);
    }

    [Fact]
    public async Task The_configuration_offers_api_keys_and_the_identity_provider_with_its_origin_allowed_to_connect()
    {
        using var factory = new JobsApiFactory();
        factory.Settings["Jobs:Auth:ApiKeys:0:Name"] = "ci";
        factory.Settings["Jobs:Auth:ApiKeys:0:User"] = "alice";
        factory.Settings["Jobs:Auth:ApiKeys:0:Sha256"] = global::Jobs.Api.Identity.ApiKeyHandler.Hash("k");
        factory.Settings["Authentication:Schemes:Bearer:Authority"] = "https://login.example.org/realms/jobs/";
        factory.Settings["Jobs:Ui:OidcClientId"] = "jobs-page";
        using var client = factory.CreateClient();

        var config = await client.GetStringAsync("/ui/config.json");
        Assert.Equal(
            """{"mode":"signed-in","apiKeys":true,"oidc":{"authority":"https://login.example.org/realms/jobs","clientId":"jobs-page","scope":"openid","token":"access_token"}}""",
            config);
        var page = await client.GetAsync("/ui/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode); // the page itself needs no credentials
        Assert.Contains("connect-src 'self' https://login.example.org;", string.Join(";", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/jobs")).StatusCode);
    }
}
