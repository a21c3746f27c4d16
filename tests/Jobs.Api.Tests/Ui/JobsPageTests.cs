using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Jobs.Api.Tests.Ui;

/// <summary>
/// The jobs page at <c>/ui</c> in headless Chromium, in the single-machine mode (no sign-in):
/// filters, sort and paging, the status chart, a row updating itself when a worker posts an
/// update, the details with dismiss and resubmit, and axe's accessibility rules. Each test uses
/// its own labels, so tests sharing the host see only their jobs through the label filter.
/// Screenshots go to TestResults/ui.
/// </summary>
public sealed class JobsPageTests(LocalUiHost host) : IClassFixture<LocalUiHost>
{
    [SkippableFact]
    public async Task Filters_sort_and_paging_select_the_jobs_and_the_chart_counts_them()
    {
        Skip.If(host.Unavailable is not null, host.Unavailable);
        using var api = host.Client();
        await api.DeployAsync("ui-list", "1");
        await api.DeployAsync("ui-other", "2");
        var jobs = new List<(string Id, string Token)>();
        for (var i = 0; i < 23; i++)
        {
            jobs.Add(await api.ExecuteAsync("ui-list:1", "batch-f"));
        }

        jobs.Add(await api.ExecuteAsync("ui-other:2", "batch-f", "rare-f"));
        jobs.Add(await api.ExecuteAsync("ui-other:2", "batch-f"));
        foreach (var (index, percent) in new[] { (0, 10), (1, 90), (2, 50) })
        {
            await Updated(api.UpdateAsync(jobs[index].Id, jobs[index].Token, $"\"status\":\"running\",\"progress\":{percent}"));
        }

        await Updated(api.UpdateAsync(jobs[3].Id, jobs[3].Token, "\"status\":\"succeeded\""));
        await Updated(api.UpdateAsync(jobs[4].Id, jobs[4].Token, "\"status\":\"failed\",\"error\":{\"type\":\"step\",\"message\":\"boom\"}"));

        var page = await OpenAsync();
        await FilterAsync(page, labels: "batch-f");
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Jobs 1–20 of 25");
        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(20);
        await ExpectChartAsync(page, "20", "3", "1", "1", "0");
        await UiHost.ShotAsync(page, "1-jobs-table");

        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Jobs 21–25 of 25");
        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(5);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();

        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("running");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Jobs 1–3 of 3");
        Assert.All(await page.Locator("#rows tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)"), s => Assert.Equal("running", s));
        await ExpectChartAsync(page, "20", "3", "1", "1", "0"); // the chart ignores the status filter

        // Progress, highest first; a second click: lowest first.
        var progress = page.Locator("th[data-sort=progress]");
        await progress.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(progress).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(page.Locator("#rows tr").First).ToHaveAttributeAsync("data-id", jobs[1].Id);
        await progress.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.Locator("#rows tr").First).ToHaveAttributeAsync("data-id", jobs[0].Id);
        await UiHost.ShotAsync(page, "2-filtered-running-sorted-by-progress");

        await FilterAsync(page, labels: "batch-f", process: "ui-other:2");
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Jobs 1–2 of 2");
        await FilterAsync(page, labels: "batch-f", text: "rare-f");
        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#rows tr").First).ToHaveAttributeAsync("data-id", jobs[23].Id);
        await FilterAsync(page, labels: "batch-f", from: DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("No job matches.");
        await FilterAsync(page, labels: "batch-f", from: DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Jobs 1–20 of 25");
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_row_updates_itself_when_a_worker_posts_an_update(bool withStream)
    {
        Skip.If(host.Unavailable is not null, host.Unavailable);
        using var api = host.Client();
        var label = withStream ? "batch-live" : "batch-poll";
        await api.DeployAsync(label, "1");
        var (id, token) = await api.ExecuteAsync($"{label}:1", label);
        await api.ExecuteAsync($"{label}:1", label);

        var page = await host.NewPageAsync();
        var streams = 0;
        page.Request += (_, request) => streams += request.Url.EndsWith("/jobs/events", StringComparison.Ordinal) ? 1 : 0;
        if (!withStream)
        {
            // An API from before the streams: the route does not exist.
            await page.RouteAsync("**/jobs/events", route => route.FulfillAsync(new() { Status = 404, ContentType = "application/problem+json", Body = "{}" }));
        }

        await page.GotoAsync(host.PageUrl.ToString());
        await FilterAsync(page, labels: label);
        var row = page.Locator($"#rows tr[data-id='{id}']");
        await Expect(row).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(page.Locator("#feed")).ToHaveAttributeAsync("data-mode", withStream ? "stream" : "polling");

        await Updated(api.UpdateAsync(id, token, "\"status\":\"running\",\"stage\":\"stage-in\",\"progress\":65"));

        await Expect(row).ToHaveAttributeAsync("data-status", "running");
        await Expect(row.Locator("progress")).ToHaveAttributeAsync("value", "65");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Job {id} is running, 65%.");
        await Expect(page.Locator("#chart g[data-status=running] text.count")).ToHaveTextAsync("1");
        Assert.Equal(1, streams); // one stream, kept open (or one refused, then polling)
        await UiHost.ShotAsync(page, withStream ? "3-row-updated-live" : "3b-row-updated-by-polling");
    }

    [SkippableFact]
    public async Task The_details_show_inputs_outputs_labels_and_history_and_dismiss_and_resubmit_work()
    {
        Skip.If(host.Unavailable is not null, host.Unavailable);
        using var api = host.Client();
        await api.DeployAsync("ui-detail", "3");
        var (done, doneToken) = await api.ExecuteAsync("ui-detail:3", "batch-d", "campaign-9");
        await Updated(api.UpdateAsync(done, doneToken, "\"status\":\"running\",\"stage\":\"process\",\"progress\":50", time: DateTimeOffset.UtcNow.AddSeconds(1)));
        await Updated(api.UpdateAsync(done, doneToken,
            "\"status\":\"succeeded\",\"outputs\":{\"granule\":\"https://data.example.org/out/granule.nc\",\"archive\":\"s3://bucket/out/granule.nc\"}",
            time: DateTimeOffset.UtcNow.AddSeconds(2)));
        var (running, runningToken) = await api.ExecuteAsync("ui-detail:3", "batch-d");
        await Updated(api.UpdateAsync(running, runningToken, "\"status\":\"running\",\"progress\":30"));

        var page = await OpenAsync();
        await FilterAsync(page, labels: "batch-d");
        await page.GetByRole(AriaRole.Button, new() { Name = done, Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Job {done}" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator("ol.timeline li")).ToHaveCountAsync(3);
        var link = dialog.GetByRole(AriaRole.Link, new() { Name = "https://data.example.org/out/granule.nc" });
        await Expect(link).ToHaveAttributeAsync("href", "https://data.example.org/out/granule.nc");
        await Expect(dialog.GetByRole(AriaRole.Link, new() { Name = "s3://bucket/out/granule.nc" })).ToHaveCountAsync(0);
        await Expect(dialog.Locator("code", new() { HasText = "s3://bucket/out/granule.nc" })).ToBeVisibleAsync();
        await Expect(dialog.Locator("pre.json")).ToContainTextAsync("\"x\": \"v\"");
        await Expect(dialog.Locator(".label", new() { HasText = "campaign-9" })).ToBeVisibleAsync();
        await Expect(dialog.Locator("ol.timeline li").Nth(1)).ToContainTextAsync("running, stage process, 50%");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Dismiss" })).ToBeDisabledAsync();
        await UiHost.ShotAsync(page, "4-detail-successful");

        // Resubmit: a new job of the same process and version, inputs and labels, linked to the old one.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Resubmit" }).ClickAsync();
        var copy = page.GetByRole(AriaRole.Dialog, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Job (?!" + done + ")") });
        await Expect(copy.Locator(".label", new() { HasText = "resubmit-of:" + done })).ToBeVisibleAsync();
        var list = await api.GetJsonAsync($"/jobs?labels=resubmit-of:{done}");
        var created = Assert.Single(list["jobs"]!.AsArray())!;
        Assert.Equal("ui-detail", created["processID"]!.GetValue<string>());
        Assert.Equal("3", created["processVersion"]!.GetValue<string>());
        Assert.Equal(["batch-d", "campaign-9", "resubmit-of:" + done], created["labels"]!.AsArray().Select(l => l!.GetValue<string>()).Order());
        var newId = created["jobID"]!.GetValue<string>();
        Assert.Equal("v", (await api.GetJsonAsync($"/jobs/{newId}"))["inputs"]!["x"]!.GetValue<string>());
        await Expect(page.Locator("#announce")).ToHaveTextAsync($"Resubmitted as job {newId}.");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#detail")).Not.ToBeVisibleAsync();

        // Dismiss the running job, from the keyboard.
        var open = page.GetByRole(AriaRole.Button, new() { Name = running, Exact = true });
        await open.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var runningDialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Job {running}" });
        await Expect(runningDialog.Locator(".status").First).ToHaveTextAsync("running");
        await runningDialog.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await Expect(runningDialog.Locator(".status").First).ToHaveTextAsync("dismissed");
        await Expect(page.Locator("#announce")).ToHaveTextAsync($"Job {running} dismissed.");
        Assert.Equal("dismissed", (await api.GetJsonAsync($"/jobs/{running}"))["status"]!.GetValue<string>());
        await UiHost.ShotAsync(page, "5-detail-dismissed");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator($"#rows tr[data-id='{running}']")).ToHaveAttributeAsync("data-status", "dismissed");
    }

    [SkippableFact]
    public async Task The_page_passes_axe_s_rules_labels_every_control_and_breaks_no_content_security_rule()
    {
        Skip.If(host.Unavailable is not null, host.Unavailable);
        using var api = host.Client();
        await api.DeployAsync("ui-a11y", "1");
        var (id, token) = await api.ExecuteAsync("ui-a11y:1", "batch-a");
        await Updated(api.UpdateAsync(id, token, "\"status\":\"running\",\"progress\":20"));
        var page = await host.NewPageAsync();
        // A refused script, style or connection is logged as a console error naming the policy;
        // a script error is a page error. (A 404 of the absent event stream is a console error
        // too: the page falls back to polling, so only these two kinds count.)
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        await page.GotoAsync(host.PageUrl.ToString());
        await FilterAsync(page, labels: "batch-a");
        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(1);

        var table = await page.RunAxe();
        Assert.True(table.Violations.Length == 0, string.Join("\n", table.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})")));
        await page.GetByRole(AriaRole.Button, new() { Name = id, Exact = true }).ClickAsync();
        await Expect(page.Locator("ol.timeline li")).ToHaveCountAsync(2);
        var details = await page.RunAxe();
        Assert.True(details.Violations.Length == 0, string.Join("\n", details.Violations.Select(v => $"{v.Id}: {v.Help}")));

        // Every form control has a label, every button a name; the live region and the chart have their roles.
        var unnamed = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input, select, button')].filter(e => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim())).map(e => e.outerHTML)");
        Assert.Empty(unnamed);
        await Expect(page.Locator("#chart svg[role=img]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[role=status][aria-live=polite]")).ToHaveCountAsync(1);
        Assert.Empty(problems);
    }

    private async Task<IPage> OpenAsync()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync(host.PageUrl.ToString());
        await Expect(page.Locator("#who")).ToHaveTextAsync("Local administrator (no sign-in on this machine)");
        return page;
    }

    /// <summary>Fills the filter form (empty fields cleared) and applies it.</summary>
    private static async Task FilterAsync(IPage page, string labels = "", string process = "", string text = "", string from = "")
    {
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("");
        await page.GetByLabel("Labels", new() { Exact = true }).FillAsync(labels);
        await page.GetByLabel("Process", new() { Exact = true }).FillAsync(process);
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync(text);
        await page.GetByLabel("Created from", new() { Exact = true }).FillAsync(from);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
    }

    /// <summary>The chart's counts, in its order: accepted, running, successful, failed, dismissed.</summary>
    private static Task ExpectChartAsync(IPage page, params string[] counts) =>
        Expect(page.Locator("#chart text.count")).ToHaveTextAsync(counts);

    private static async Task Updated(Task<HttpResponseMessage> update)
    {
        var response = await update;
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
