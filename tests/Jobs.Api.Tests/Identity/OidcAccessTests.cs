using System.Net;
using System.Text.Json.Nodes;
using Jobs.Api.Identity;

namespace Jobs.Api.Tests.Identity;

/// <summary>
/// Every route against every kind of caller, with JWT bearer tokens from a real OpenID Connect
/// provider on loopback and only the standard <c>Authentication:Schemes:Bearer</c> configuration.
/// </summary>
public class OidcAccessTests(OidcHost host) : IClassFixture<OidcHost>
{
    private const string Process = "oidc-table:1";

    [SkippableTheory]
    [MemberData(nameof(RouteTable.Cases), MemberType = typeof(RouteTable))]
    public async Task Every_route_answers_every_caller_per_the_rule_set(string route, string caller)
    {
        Skip.If(host.Provider.Unavailable is not null, host.Provider.Unavailable);
        var row = RouteTable.Rows.Single(r => r.ToString() == route);
        var expected = RouteTable.Expected(row, caller).Split(' ');
        var admin = host.Client("admin");
        await EnsureDeployedAsync(admin, Process);
        var (job, token) = await host.Client("bob").ExecuteAsync(Process, "table");
        var deployed = row.Path.Contains("{deployed}", StringComparison.Ordinal) ? $"oidc-deployed-{Guid.NewGuid():N}" : "";
        if (deployed.Length > 0)
        {
            await admin.DeployAsync(deployed, "1");
        }

        string Fill(string text) => text.Replace("{job}", job, StringComparison.Ordinal).Replace("{process}", Process, StringComparison.Ordinal)
            .Replace("{deployed}", deployed, StringComparison.Ordinal)
            .Replace("{package}", ApiCalls.Package($"oidc-new-{Guid.NewGuid():N}", "1"), StringComparison.Ordinal)
            .Replace("{update}", ApiCalls.UpdateBody(job, token, "\"status\":\"running\""), StringComparison.Ordinal);

        var (status, body) = await host.Client(caller).SendAsync(new HttpMethod(row.Method), Fill(row.Path), row.Body is null ? null : Fill(row.Body));

        Assert.True(int.Parse(expected[0], System.Globalization.CultureInfo.InvariantCulture) == status,
            $"{caller}: {row.Method} {row.Path} answered {status}, not {expected[0]}: {body?.ToJsonString()}");
        var text = (body as JsonObject)?.Where(p => p.Key != "links").Select(p => p.Value?.ToJsonString()) is { } parts ? string.Join(",", parts) : body?.ToJsonString() ?? "";
        var count = body?["count"]?.GetValue<int>();
        switch (expected.ElementAtOrDefault(1))
        {
            case "sees":
                Assert.True(count == 1 || text.Contains(job, StringComparison.Ordinal), $"{caller} should see bob's job: {text}");
                break;
            case "hidden":
                Assert.True(count is null or 0, $"{caller} counted bob's job");
                Assert.DoesNotContain(job, text, StringComparison.Ordinal);
                break;
            case "result-not-ready":
                Assert.EndsWith("result-not-ready", body!["type"]!.GetValue<string>(), StringComparison.Ordinal);
                break;
        }

        if (status == 401)
        {
            var response = await host.Client(caller).GetAsync(Fill(row.Path));
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.Select(h => h.Scheme));
        }

        if (row.Method == "DELETE" && row.Path.Contains("{job}", StringComparison.Ordinal) && status == 404)
        {
            await CrossUserProbe.AssertUntouchedAsync(host.Client("bob"), job);
        }
    }

    [SkippableFact]
    public async Task Alice_can_reach_none_of_bobs_jobs_by_any_route_or_query()
    {
        Skip.If(host.Provider.Unavailable is not null, host.Provider.Unavailable);
        await EnsureDeployedAsync(host.Client("admin"), Process);
        var (bobJob, _) = await host.Client("bob").ExecuteAsync(Process, "bobs");

        await CrossUserProbe.AssertReachesNoneAsync(host.Client("alice"), bobJob, "bob", Process);

        await CrossUserProbe.AssertUntouchedAsync(host.Client("bob"), bobJob);
    }

    [SkippableFact]
    public async Task A_job_belongs_to_the_tokens_subject()
    {
        Skip.If(host.Provider.Unavailable is not null, host.Provider.Unavailable);
        await EnsureDeployedAsync(host.Client("admin"), Process);

        var (job, _) = await host.Client("alice").ExecuteAsync(Process);

        var document = await host.Client("admin").GetJsonAsync($"/jobs/_doc/{job}");
        Assert.Equal("alice", document["_source"]!["user-id"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task An_expired_token_is_refused_saying_so()
    {
        Skip.If(host.Provider.Unavailable is not null, host.Provider.Unavailable);

        var response = await host.Client("expired").GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("expired", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public void Docs_security_shows_this_table()
    {
        var docs = FindRepoFile("docs/security.md");
        var rows = File.ReadAllLines(docs)
            .Where(l => l.StartsWith("| GET ", StringComparison.Ordinal) || l.StartsWith("| POST ", StringComparison.Ordinal) || l.StartsWith("| DELETE ", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1])
            .Select(c => $"{c[0]} {c[1].Trim('`')} {c[3]} {c[4]} {c[5]} {c[6]}")
            .ToList();

        Assert.Equal(RouteTable.Rows.Select(r => $"{r.Method} {r.Path} {r.Anonymous} {r.Alice} {r.Bob} {r.Admin}"), rows);
    }

    private static string FindRepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, relative)))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException(relative);
    }

    private static async Task EnsureDeployedAsync(HttpClient admin, string processRef)
    {
        var (id, version) = (processRef.Split(':')[0], processRef.Split(':')[1]);
        var response = await admin.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package(id, version)));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }
}
