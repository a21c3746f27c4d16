namespace Jobs.Api.Tests;

/// <summary>Whatever a client sends, the API answers 4xx with a body saying what is wrong: never 5xx.</summary>
public class BadInputTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    private static readonly string[] Bodies =
    [
        "", "null", "true", "0", "\"text\"", "[]", "[{}]", "{", "}", "{\"a\":", "{\"a\":1,}", "{'single':'quotes'}",
        "{\"inputs\":null,\"outputs\":null,\"labels\":null}", "{\"inputs\":{\"x\":{\"value\":{\"href\":5}}}}",
        "{\"version\":1e400}", "{\"id\":{},\"job-id\":[],\"token\":1,\"time\":false}", "\u0000\u0001",
        "{\"processDescription\":{\"id\":\"\",\"version\":\"\",\"inputs\":{\"\":{\"schema\":{}}}},\"executionUnit\":[]}",
        "{\"query\":{\"bool\":{\"must\":{\"bool\":{\"should\":[[[]]]}}}}}", "{\"size\":-1}", "{\"sort\":[{\"labels\":{\"order\":\"sideways\"}}]}",
        "{\"aggs\":{\"a\":{\"terms\":{}}}}", "{\"track_total_hits\":\"maybe\"}", "{\"search_after\":[1,2,3]}",
    ];

    private static readonly string[] Paths =
    [
        "/processes", "/processes/bad-input:1/jobs", "/processes/bad-input/execution", "/processes/nope:1/jobs",
        "/jobs/{job}/updates", "/jobs/nope/updates", "/jobs/_search", "/jobs/_count",
    ];

    public static IEnumerable<object[]> Cases() =>
        from path in Paths from body in Bodies select new object[] { path, body };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Garbage_never_gets_a_server_error(string path, string body)
    {
        var client = factory.CreateClient();
        await client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("bad-input", "1")));
        var job = path.Contains("{job}", StringComparison.Ordinal) ? (await client.ExecuteAsync("bad-input:1")).JobId : "";

        var response = await client.PostAsync(path.Replace("{job}", job, StringComparison.Ordinal), ApiCalls.Json(body));

        var text = await response.Content.ReadAsStringAsync();
        Assert.InRange((int)response.StatusCode, 200, 499);
        if (!response.IsSuccessStatusCode)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{path} answered {(int)response.StatusCode} with no body");
        }
    }

    [Theory]
    [InlineData("/jobs?limit=%00")]
    [InlineData("/jobs/_doc/%20")]
    [InlineData("/jobs?datetime=2020-01-01T00:00:00Z/2019-01-01T00:00:00Z/x")]
    [InlineData("/jobs?processID=&status=")]
    [InlineData("/jobs/%2e%2e")]
    [InlineData("/jobs/_search?size=abc")]
    [InlineData("/jobs/_search?track_total_hits=maybe")]
    [InlineData("/processes/%3A%3A%3A")]
    public async Task Odd_urls_never_get_a_server_error(string url)
    {
        var response = await factory.CreateClient().GetAsync(url);

        Assert.InRange((int)response.StatusCode, 200, 499);
    }
}
