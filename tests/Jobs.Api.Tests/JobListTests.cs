using System.Text.Json.Nodes;

namespace Jobs.Api.Tests;

/// <summary>GET /jobs (OGC class Job list) on a host of its own, so counts are exact.</summary>
public class JobListTests : IClassFixture<JobListTests.Fixture>
{
    private readonly HttpClient _client;
    private readonly Fixture _data;

    public JobListTests(Fixture data)
    {
        _data = data;
        _client = data.Factory.CreateClient();
    }

    /// <summary>Seven jobs of two processes, in every status, with labels.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public JobsApiFactory Factory { get; } = new();

        public Dictionary<string, string> Ids { get; } = [];

        public async Task InitializeAsync()
        {
            var client = Factory.CreateClient();
            await client.DeployAsync("alpha", "1");
            await client.DeployAsync("beta", "2");
            var start = DateTimeOffset.UtcNow.AddMinutes(-10);
            async Task Make(string name, string process, string? status, params string[] labels)
            {
                var (id, token) = await client.ExecuteAsync(process, labels);
                Ids[name] = id;
                if (status is "running" or "succeeded" or "failed")
                {
                    await client.UpdateAsync(id, token, "\"status\":\"running\"", time: start);
                }

                if (status is "succeeded" or "failed")
                {
                    await client.UpdateAsync(id, token, $"\"status\":\"{status}\"", time: start.AddSeconds(name == "slow" ? 300 : 60));
                }
            }

            await Make("new", "alpha:1", null, "campaign-3");
            await Make("running", "alpha:1", "running", "campaign-3", "test");
            await Make("ok", "alpha:1", "succeeded", "campaign-3");
            await Make("slow", "beta:2", "succeeded");
            await Make("bad", "beta:2", "failed", "test");
            await Make("b-new", "beta:2", null);
            await Make("b-new2", "beta:2", null, "test");
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private async Task<List<string>> IdsAsync(string query)
    {
        var list = await _client.GetJsonAsync("/jobs" + query);
        OgcSchemas.AssertValid("jobList", list);
        Assert.All(list["jobs"]!.AsArray(), j => Assert.NotNull(j!["processID"])); // mandatory with the job-list class
        return list["jobs"]!.AsArray().Select(j => j!["jobID"]!.GetValue<string>()).ToList();
    }

    private List<string> Named(params string[] names) => names.Select(n => _data.Ids[n]).ToList();

    [Fact]
    public async Task Lists_newest_first_with_a_default_limit_of_ten()
    {
        var ids = await IdsAsync("");

        Assert.Equal(Named("b-new2", "b-new", "bad", "slow", "ok", "running", "new"), ids);
    }

    [Theory]
    [InlineData("?status=successful", new[] { "slow", "ok" })]
    [InlineData("?status=succeeded", new[] { "slow", "ok" })]
    [InlineData("?status=accepted,failed", new[] { "b-new2", "b-new", "bad", "new" })]
    [InlineData("?status=accepted&status=failed", new[] { "b-new2", "b-new", "bad", "new" })]
    [InlineData("?processID=alpha", new[] { "ok", "running", "new" })]
    [InlineData("?processID=beta:2&status=running", new string[0])]
    [InlineData("?labels=campaign-3", new[] { "ok", "running", "new" })]
    [InlineData("?labels=campaign-3,test", new[] { "running" })]
    [InlineData("?type=process&labels=test", new[] { "b-new2", "bad", "running" })]
    [InlineData("?type=other", new string[0])]
    [InlineData("?user=anonymous&processID=beta", new[] { "b-new2", "b-new", "bad", "slow" })]
    [InlineData("?minDuration=120", new[] { "slow", "running" })]
    [InlineData("?maxDuration=100", new[] { "bad", "ok" })]
    [InlineData("?minDuration=0&status=successful", new[] { "slow", "ok" })]
    public async Task Filters_select_the_matching_jobs(string query, string[] expected)
    {
        Assert.Equal(Named(expected), await IdsAsync(query));
    }

    [Theory]
    [InlineData("?q=test", new[] { "b-new2", "bad", "running" })]
    [InlineData("?q=alpha%20test", new[] { "running" })]
    [InlineData("?q=beta%20-test", new[] { "b-new", "slow" })]
    [InlineData("?q=campaign*", new[] { "ok", "running", "new" })]
    [InlineData("?q=succeeded%20|%20failed", new[] { "bad", "slow", "ok" })]
    [InlineData("?q=test&status=failed", new[] { "bad" })]
    public async Task Q_is_a_simple_query_string_over_every_field_with_and(string query, string[] expected)
    {
        Assert.Equal(Named(expected), await IdsAsync(query));
    }

    [Fact]
    public async Task Datetime_filters_on_creation_time()
    {
        var all = await IdsAsync("?limit=100");
        var future = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(all, await IdsAsync("?limit=100&datetime=2020-01-01T00:00:00Z/.."));
        Assert.Empty(await IdsAsync($"?datetime={future}/.."));
        Assert.Equal(all, await IdsAsync($"?limit=100&datetime=../{future}"));
    }

    [Fact]
    public async Task Next_links_page_through_every_job_once()
    {
        var seen = new List<string>();
        string? next = "/jobs?limit=3";
        var pages = 0;
        while (next is not null && pages < 10)
        {
            var page = await _client.GetJsonAsync(next);
            OgcSchemas.AssertValid("jobList", page);
            seen.AddRange(page["jobs"]!.AsArray().Select(j => j!["jobID"]!.GetValue<string>()));
            next = page["links"]!.AsArray().FirstOrDefault(l => l!["rel"]!.GetValue<string>() == "next")?["href"]!.GetValue<string>();
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(await IdsAsync("?limit=100"), seen);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?limit=100000", "limit")]
    [InlineData("?status=queued", "status")]
    [InlineData("?datetime=yesterday", "datetime")]
    [InlineData("?minDuration=-1", "minDuration")]
    [InlineData("?next=garbage", "next")]
    public async Task Bad_parameter_is_400_naming_it(string query, string parameter)
    {
        var (status, problem) = await _client.SendAsync(HttpMethod.Get, "/jobs" + query);

        Assert.Equal(400, status);
        OgcSchemas.AssertValid("exception", problem!);
        Assert.NotNull(problem!["errors"]![parameter]);
    }
}
