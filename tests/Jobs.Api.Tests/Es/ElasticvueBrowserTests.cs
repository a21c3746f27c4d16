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

        // Add the cluster: name, URI, test the connection, connect.
        await page.GotoAsync(host.ElasticvueUrl!.ToString());
        await page.ClickAsync("#add_cluster");
        await page.GetByLabel("Cluster name").FillAsync("jobs on /es");
        await page.GetByLabel("Uri").FillAsync(es);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await page.GetByText("reachable").WaitForAsync();
        await Shot(page, "1-add-cluster");
        // Under load a click that lands while the dialog is still settling after the connection
        // test can go unanswered; click again while the dialog stays (Elasticvue adds the cluster once).
        var connect = page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true });
        for (var attempt = 1; ; attempt++)
        {
            await connect.ClickAsync();
            try
            {
                await page.WaitForURLAsync("**/cluster/0**", new() { Timeout = 10_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                if (!await connect.IsVisibleAsync())
                {
                    throw;
                }
            }
        }

        // Home: the cluster's name and health.
        await page.GetByText("green").First.WaitForAsync();
        await Shot(page, "2-home");

        // Indices: the jobs index with its document count.
        await page.GotoAsync(new Uri(host.ElasticvueUrl, "cluster/0/indices").ToString());
        var row = page.Locator("tr", new() { HasText = "jobs" }).First;
        await row.WaitForAsync();
        await Shot(page, "3-indices");
        Assert.Equal("20", (await row.Locator("td").Nth(8).InnerTextAsync()).Trim());

        // Search: the default pattern "*".
        await page.GotoAsync(new Uri(host.ElasticvueUrl, "cluster/0/search").ToString());
        await page.Locator("tbody tr").First.WaitForAsync();
        await Shot(page, "4-search-all");
        await page.GetByText("1-10 of 20").WaitForAsync();
        var firstPage = await ShownIds(page);
        Assert.Equal(10, firstPage.Count);
        Assert.Contains("POST /es/*/_search", host.Requests);
        Assert.Contains("GET /es/jobs", host.Requests);

        // Paging: the second page holds the other ten.
        await page.Locator("button", new() { HasText = "chevron_right" }).ClickAsync();
        await page.GetByText("11-20 of 20").WaitForAsync();
        await Expect(page, async () => !(await ShownIds(page)).Intersect(firstPage).Any());
        var secondPage = await ShownIds(page);
        Assert.Equal(host.Jobs.Select(j => j.Id).Order(StringComparer.Ordinal), firstPage.Concat(secondPage).Order(StringComparer.Ordinal));
        await Shot(page, "5-search-page-2");

        // The "jobs" pattern, sorted by created, newest first (the second click on the column).
        await page.GetByLabel("Index pattern").FillAsync("jobs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page, () => Task.FromResult(host.Requests.Contains("POST /es/jobs/_search")));
        // Jobs created in the same millisecond tie, so the first row may be any of the tied ones:
        // compare creation times, not ids.
        var createdOf = await CreationTimes();
        var created = page.Locator("thead th", new() { HasText = "created" }).First;
        await created.ClickAsync();
        await Expect(page, async () => createdOf[(await ShownIds(page))[0]] == createdOf.Values.Min());
        await created.ClickAsync();
        await Expect(page, async () => createdOf[(await ShownIds(page))[0]] == createdOf.Values.Max());
        Assert.Contains("POST /es/jobs/_search", host.Requests);
        await Shot(page, "6-search-jobs-sorted");

        // A document: double-click its row.
        var newest = (await ShownIds(page))[0];
        await page.Locator("tbody tr").First.DblClickAsync();
        var dialog = page.Locator(".q-dialog");
        await dialog.GetByText(newest).First.WaitForAsync();
        await Shot(page, "7-document");
        await page.Keyboard.PressAsync("Escape");

        // The REST tab.
        await page.GotoAsync(new Uri(host.ElasticvueUrl, "cluster/0/rest").ToString());
        await page.GetByLabel("Path").FillAsync("jobs/_count");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        var answer = page.Locator(".cm-content").Nth(1);
        await Expect(page, async () => (await answer.InnerTextAsync()).Contains("\"count\": 20", StringComparison.Ordinal));
        await Shot(page, "8-rest");
    }

    /// <summary>Each job's <c>created</c> as the store has it, by id.</summary>
    private async Task<Dictionary<string, DateTimeOffset>> CreationTimes()
    {
        using var client = host.Client();
        var times = new Dictionary<string, DateTimeOffset>();
        foreach (var (id, _) in host.Jobs)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync($"es/jobs/_doc/{id}"));
            times[id] = doc.RootElement.GetProperty("_source").GetProperty("created").GetDateTimeOffset();
        }

        return times;
    }

    /// <summary>The job ids in the result table, top to bottom.</summary>
    private static async Task<List<string>> ShownIds(IPage page) =>
        [.. (await page.Locator("tbody tr td:nth-child(4)").AllInnerTextsAsync()).Select(t => t.Trim())];

    /// <summary>Waits (by polling the page, up to the default timeout) until the condition holds.</summary>
    private static async Task Expect(IPage page, Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await page.WaitForTimeoutAsync(100);
        }

        Assert.True(await condition(), "the page did not reach the expected state");
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(RepositoryPaths.Screenshots, name + ".png"), FullPage = true });
}
