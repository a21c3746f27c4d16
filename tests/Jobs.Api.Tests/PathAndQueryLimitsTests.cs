using System.Text.Json.Nodes;

namespace Jobs.Api.Tests;

/// <summary>Issue 12, items 5 and 8 through HttpClient: job-list parameters past the clause limit, ids that are not ids (the
/// wire-level replays of dot segments are in <see cref="RawHttpTests"/>).</summary>
public class PathAndQueryLimitsTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task More_labels_than_the_clause_limit_are_a_400()
    {
        var labels = string.Join(",", Enumerable.Range(0, 1025).Select(i => $"l{i}"));

        var response = await _client.GetAsync($"/jobs?labels={labels}");

        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("1024", problem["errors"]!["labels"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_parameters_count_together_against_the_clause_limit()
    {
        var labels = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"l{i}"));
        var users = string.Join("&user=", Enumerable.Range(0, 25).Select(i => $"u{i}"));

        var response = await _client.GetAsync($"/jobs?labels={labels}&user={users}");

        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_thousand_and_twenty_four_labels_are_a_search()
    {
        var labels = string.Join(",", Enumerable.Range(0, 1024).Select(i => $"l{i}"));

        var response = await _client.GetAsync($"/jobs?labels={labels}");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("..", false)]
    [InlineData(".", false)]
    [InlineData("...", true)]
    [InlineData("0193a8e2-7c1d-7000-8000-000000000000", true)]
    public void Dot_segments_are_not_job_ids(string id, bool wellFormed) =>
        Assert.Equal(wellFormed, Jobs.Core.Jobs.JobIds.IsWellFormed(id));

    [Theory]
    [InlineData("/processes/p:1/jobs/..", true)]
    [InlineData("/processes/p:1/jobs/%2E%2e/", true)]
    [InlineData("/a/./b", true)]
    [InlineData("/a/.../b", false)]
    [InlineData("/a/b..c", false)]
    [InlineData("/jobs?q=..", false)]
    public void Dot_segment_detection(string target, bool expected) =>
        Assert.Equal(expected, Jobs.Api.Http.DotSegmentGuard.HasDotSegment(target));
}
