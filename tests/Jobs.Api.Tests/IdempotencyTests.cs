using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Api.Tests;

/// <summary>
/// Issue 12, item 11: an execute with an <c>Idempotency-Key</c> header, sent again (a client
/// retrying after a timeout), returns the job the first attempt created instead of a second one.
/// </summary>
public sealed class IdempotencyTests : IDisposable
{
    private const string Body = """{"inputs":{"x":"v"},"labels":["retry"]}""";

    private readonly string _path = Path.Combine(Path.GetTempPath(), "jobs-api-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_path, recursive: true);
        }
        catch (IOException)
        {
            // The store's last background flush can still be closing files; the folder is under the temp directory.
        }
    }

    private JobsApiFactory Host() => JobsApiFactory.OnPath(_path, builder => builder.ConfigureServices(services =>
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(_clock);
    }));

    private static async Task<(HttpStatusCode Status, string? Location, JsonNode Body)> ExecuteAsync(HttpClient client, string path, string body, params string[] keys)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = ApiCalls.Json(body) };
        foreach (var key in keys)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        var response = await client.SendAsync(request);
        return (response.StatusCode, response.Headers.Location?.ToString(), JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static async Task<int> CountAsync(HttpClient client) => (await client.GetJsonAsync("/jobs/_count"))["count"]!.GetValue<int>();

    [Theory]
    [InlineData("/processes/idem:1/jobs")]
    [InlineData("/processes/idem:1/execution")]
    public async Task The_same_key_and_body_return_the_same_job_without_a_new_token(string path)
    {
        using var host = Host();
        var client = host.CreateClient();
        await client.DeployAsync("idem", "1");

        var first = await ExecuteAsync(client, path, Body, "key-1");
        _clock.Advance(TimeSpan.FromHours(23));
        var again = await ExecuteAsync(client, path, Body, "key-1");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.NotNull(first.Body["updateToken"]);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Location, again.Location);
        Assert.Equal(first.Body["jobID"]!.GetValue<string>(), again.Body["jobID"]!.GetValue<string>());
        Assert.Null(again.Body["updateToken"]);
        Assert.Equal(1, await CountAsync(client));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_that_creates_nothing()
    {
        using var host = Host();
        var client = host.CreateClient();
        await client.DeployAsync("idem", "1");
        var first = await ExecuteAsync(client, "/processes/idem:1/jobs", Body, "key-2");

        var other = await ExecuteAsync(client, "/processes/idem:1/jobs", Body.Replace("\"v\"", "\"w\"", StringComparison.Ordinal), "key-2");
        var otherProcess = await ExecuteAsync(client, "/processes/idem/jobs", Body, "key-2");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        Assert.Equal("urn:jobs:idempotency-key-reused", other.Body["type"]!.GetValue<string>());
        Assert.Equal(first.Body["jobID"]!.GetValue<string>(), other.Body["jobID"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherProcess.Status);
        Assert.Equal(1, await CountAsync(client));
    }

    [Fact]
    public async Task A_key_survives_a_restart()
    {
        string? location;
        using (var first = Host())
        {
            var client = first.CreateClient();
            await client.DeployAsync("idem", "1");
            location = (await ExecuteAsync(client, "/processes/idem:1/jobs", Body, "key-3")).Location;
        }

        using var second = Host();
        var again = await ExecuteAsync(second.CreateClient(), "/processes/idem:1/jobs", Body, "key-3");

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(location, again.Location);
    }

    [Fact]
    public async Task After_24_hours_the_key_creates_a_new_job()
    {
        using var host = Host();
        var client = host.CreateClient();
        await client.DeployAsync("idem", "1");
        var first = await ExecuteAsync(client, "/processes/idem:1/jobs", Body, "key-4");

        _clock.Advance(TimeSpan.FromHours(24).Add(TimeSpan.FromSeconds(1)));
        var later = await ExecuteAsync(client, "/processes/idem:1/jobs", Body, "key-4");
        var retryOfLater = await ExecuteAsync(client, "/processes/idem:1/jobs", Body, "key-4");

        Assert.Equal(HttpStatusCode.Created, later.Status);
        Assert.NotEqual(first.Location, later.Location);
        Assert.Equal(later.Location, retryOfLater.Location);
        Assert.Equal(2, await CountAsync(client));
    }

    [Fact]
    public async Task Concurrent_retries_create_one_job()
    {
        using var host = Host();
        var client = host.CreateClient();
        await client.DeployAsync("idem", "1");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ExecuteAsync(client, "/processes/idem:1/jobs", Body, "key-5")));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.Single(answers.Select(a => a.Location).Distinct());
        Assert.Equal(1, await CountAsync(client));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a-key-of-256-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("é")]
    public async Task A_key_that_is_not_one_is_a_400(string key)
    {
        using var host = Host();
        var client = host.CreateClient();
        await client.DeployAsync("idem", "1");

        var answer = await ExecuteAsync(client, "/processes/idem:1/jobs", Body, key);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(0, await CountAsync(client));
    }

    [Fact]
    public async Task Two_keys_in_one_request_are_a_400()
    {
        using var host = Host();
        var client = host.CreateClient();
        await client.DeployAsync("idem", "1");

        var answer = await ExecuteAsync(client, "/processes/idem:1/jobs", Body, "a", "b");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    [Fact]
    public async Task The_idempotency_record_is_never_returned()
    {
        using var host = Host();
        var client = host.CreateClient();
        await client.DeployAsync("idem", "1");
        var id = (await ExecuteAsync(client, "/processes/idem:1/jobs", Body, "key-6")).Body["jobID"]!.GetValue<string>();

        var texts = new[]
        {
            (await client.GetJsonAsync($"/jobs/{id}")).ToJsonString(),
            (await client.GetJsonAsync($"/jobs/_doc/{id}")).ToJsonString(),
            (await client.SearchAsync("""{"query":{"match_all":{}}}""")).ToJsonString(),
            (await client.SearchAsync("""{"_source":["*"],"query":{"match_all":{}}}""")).ToJsonString(),
        };
        var fields = await client.PostAsync("/jobs/_search", ApiCalls.Json("""{"fields":["idempotency.*"]}"""));

        Assert.All(texts, text => Assert.DoesNotContain("sha256", text, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, fields.StatusCode);
    }
}
