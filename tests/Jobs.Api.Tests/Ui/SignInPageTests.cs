using Microsoft.Playwright;

namespace Jobs.Api.Tests.Ui;

/// <summary>
/// The jobs page when API keys are configured: the sign-in form, a refused key, a key's own jobs
/// only (another user's are not shown), the key kept in this tab's session storage, sign-out.
/// </summary>
public sealed class SignInPageTests(ApiKeyUiHost host) : IClassFixture<ApiKeyUiHost>
{
    [SkippableFact]
    public async Task Signing_in_with_an_api_key_shows_the_caller_s_jobs_only()
    {
        Skip.If(host.Unavailable is not null, host.Unavailable);
        using var admin = host.Client();
        await admin.DeployAsync("ui-keys", "1");
        using var alice = host.Client("alice");
        using var bob = host.Client("bob");
        var (mine, _) = await alice.ExecuteAsync("ui-keys:1", "batch-k");
        var (theirs, _) = await bob.ExecuteAsync("ui-keys:1", "batch-k");

        var page = await host.NewPageAsync();
        await page.GotoAsync(host.PageUrl.ToString());
        var signIn = page.GetByRole(AriaRole.Region, new() { Name = "Sign in" });
        await Assertions.Expect(signIn).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#jobs-view")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByLabel("API key")).ToBeFocusedAsync();

        await page.GetByLabel("API key").FillAsync("not-a-key");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The API key was refused.");
        await UiHost.ShotAsync(page, "6-sign-in-refused");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('jobs.credential')"));

        await page.GetByLabel("API key").FillAsync(ApiKeyUiHost.KeyOf("alice"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with the API key" }).ClickAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("Signed in with an API key");
        await Assertions.Expect(page.Locator($"#rows tr[data-id='{mine}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#rows tr[data-id='{theirs}']")).ToHaveCountAsync(0);
        Assert.Contains("alice-key", await page.EvaluateAsync<string>("() => sessionStorage.getItem('jobs.credential')"), StringComparison.Ordinal);
        await UiHost.ShotAsync(page, "7-signed-in-with-api-key");

        // A reload keeps the tab signed in; signing out forgets the key.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator($"#rows tr[data-id='{mine}']")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(signIn).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('jobs.credential')"));
    }
}
