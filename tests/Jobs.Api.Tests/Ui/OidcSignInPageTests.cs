using Microsoft.Playwright;

namespace Jobs.Api.Tests.Ui;

/// <summary>
/// Sign-in on the jobs page with the configured OpenID Connect provider: authorization code with
/// PKCE, done by the page in the browser; the token it gets is the caller's on every API call.
/// </summary>
public sealed class OidcSignInPageTests(OidcUiHost host) : IClassFixture<OidcUiHost>
{
    [SkippableFact]
    public async Task Signing_in_with_the_identity_provider_shows_the_signed_in_user_s_jobs()
    {
        Skip.If(host.Unavailable is not null, host.Unavailable);
        using var admin = host.Client();
        await admin.DeployAsync("ui-oidc", "1");
        using var user = host.Client("browser-user");
        using var alice = host.Client("alice");
        var (mine, _) = await user.ExecuteAsync("ui-oidc:1", "batch-o");
        var (theirs, _) = await alice.ExecuteAsync("ui-oidc:1", "batch-o");

        var page = await host.NewPageAsync();
        var authorize = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/authorize", StringComparison.Ordinal))
            {
                authorize.Add(request.Url);
            }
        };
        await page.GotoAsync(host.PageUrl.ToString());
        await Assertions.Expect(page.Locator("#api-key-form")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with the identity provider" }).ClickAsync();

        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("Signed in as browser-user");
        Assert.Equal(host.PageUrl.ToString(), page.Url); // the code and state are gone from the address
        await Assertions.Expect(page.Locator($"#rows tr[data-id='{mine}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#rows tr[data-id='{theirs}']")).ToHaveCountAsync(0);
        var request = new Uri(Assert.Single(authorize));
        var query = System.Web.HttpUtility.ParseQueryString(request.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("jobs-page", query["client_id"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"]!.Length);
        Assert.Equal(host.PageUrl.ToString(), query["redirect_uri"]);
        await UiHost.ShotAsync(page, "8-signed-in-with-openid-connect");
    }
}
