using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Execution;
using Jobs.Core.Processes;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Api.Tests;

/// <summary>
/// Issue 12, item 3: inputs and outputs nest at most 20 levels and a keyword is at most 32,766
/// UTF-8 bytes, refused at the door with a 400 naming the place; and whatever a store holds, even
/// deep data written before the limit, every read endpoint answers.
/// </summary>
public class LimitsTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    private const string ObjectInput = """{"x":{"schema":{"type":"string"}},"static_dir":{"schema":{"type":"object"},"minOccurs":0}}""";

    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>A JSON value with <paramref name="levels"/> nested objects: {"a":{"a":…"leaf"}}.</summary>
    private static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "\"leaf\"" + new string('}', levels);

    private async Task<(string JobId, string Token)> JobAsync()
    {
        await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("limits", "1", ObjectInput)));
        return await _client.ExecuteAsync("limits:1");
    }

    [Fact]
    public async Task Outputs_nested_58_levels_are_refused_naming_the_output()
    {
        var (jobId, token) = await JobAsync();

        var response = await _client.UpdateAsync(jobId, token, $"\"outputs\":{{\"deep\":{Nested(58)}}}");

        var (status, body) = (await ReadAsync(response));
        Assert.Equal(400, status);
        var path = Assert.Single(body["errors"]!.AsObject()).Key;
        Assert.StartsWith("outputs.deep.a", path, StringComparison.Ordinal);
        Assert.Contains("20 levels", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await _client.GetJsonAsync($"/jobs/{jobId}"))["outputs"]?.AsObject() ?? []);
    }

    [Theory]
    [InlineData(19, 200)]
    [InlineData(20, 400)]
    public async Task Outputs_may_nest_20_levels_counting_the_outputs_map(int valueLevels, int expected)
    {
        var (jobId, token) = await JobAsync();

        var response = await _client.UpdateAsync(jobId, token, $"\"outputs\":{{\"deep\":{Nested(valueLevels)}}}");

        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 200)
        {
            var search = await _client.SearchAsync("{\"query\":{\"ids\":{\"values\":[\"" + jobId + "\"]}}}");
            Assert.Single(search["hits"]!["hits"]!.AsArray());
        }
    }

    [Theory]
    [InlineData("""{"inputs":{"x":"v","static_dir":DEEP}}""", "inputs.static_dir.a")]
    [InlineData("""{"inputs":[{"id":"x","data":"v"},{"id":"static_dir","data":DEEP}]}""", "inputs.static_dir.a")]
    public async Task Inputs_nested_too_deep_are_refused_in_both_encodings(string body, string path)
    {
        await JobAsync();

        var (status, problem) = await ReadAsync(await _client.PostAsync("/processes/limits:1/jobs", ApiCalls.Json(body.Replace("DEEP", Nested(59), StringComparison.Ordinal))));

        Assert.Equal(400, status);
        Assert.StartsWith(path, Assert.Single(problem["errors"]!.AsObject()).Key, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"outputs\":{\"big\":\"BIG\"}", "outputs.big")]
    [InlineData("\"outputs\":{\"list\":[\"s3://a\",\"BIG\"]}", "outputs.list[1]")]
    [InlineData("\"status\":\"failed\",\"error\":{\"type\":\"BIG\",\"message\":\"m\"}", "error.type")]
    public async Task Keywords_over_32766_bytes_are_refused_naming_the_place(string fields, string path)
    {
        var (jobId, token) = await JobAsync();
        var big = new string('é', 16_400); // 32,800 bytes as UTF-8, 16,400 characters

        var (status, problem) = await ReadAsync(await _client.UpdateAsync(jobId, token, fields.Replace("BIG", big, StringComparison.Ordinal)));

        Assert.Equal(400, status);
        Assert.Equal(path, Assert.Single(problem["errors"]!.AsObject()).Key);
        Assert.Contains("32766", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_input_leaf_over_32766_bytes_is_refused()
    {
        await JobAsync();
        var body = new JsonObject { ["inputs"] = new JsonObject { ["x"] = new string('x', 32_766) } };

        var (status, problem) = await ReadAsync(await _client.PostAsync("/processes/limits:1/jobs", ApiCalls.Json(body.ToJsonString())));

        Assert.Equal(400, status);
        Assert.Equal("inputs.x", Assert.Single(problem["errors"]!.AsObject()).Key);
    }

    [Fact]
    public async Task Deep_data_already_in_the_store_is_readable_by_every_endpoint()
    {
        // Written straight to the store, as data accepted before the limit existed: inputs and
        // outputs 62 levels deep, deeper than System.Text.Json's default of 64 once in a response.
        await JobAsync();
        var store = factory.Services.GetRequiredService<IJobStore>();
        var registry = factory.Services.GetRequiredService<IProcessRegistry>();
        var view = (await registry.GetAsync("limits", "1", default))!.View();
        using var deep = JsonDocument.Parse(Nested(62), new JsonDocumentOptions { MaxDepth = 200 });
        var request = new ExecuteRequest
        {
            Inputs = new Dictionary<string, JsonElement> { ["x"] = JsonSerializer.SerializeToElement("v"), ["static_dir"] = deep.RootElement.Clone() },
            Outputs = new Dictionary<string, OutputRequest>(),
        };
        var created = JobFactory.Create(view, request, "anonymous", DateTimeOffset.UtcNow);
        Assert.True(await store.CreateAsync(created.Job, default));
        var update = new UpdateMessage
        {
            Id = Guid.NewGuid().ToString(),
            JobId = created.Job.Id,
            Token = created.UpdateToken,
            Time = DateTimeOffset.UtcNow,
            Outputs = new Dictionary<string, JsonElement> { ["deep"] = deep.RootElement.Clone() },
        };
        await store.ApplyAsync([new JobUpdate(update, "test")], default);
        var id = created.Job.Id;

        foreach (var path in (string[])[$"/jobs/{id}", $"/jobs/_doc/{id}", $"/jobs/{id}/history", "/jobs?limit=1000", "/jobs/_search?size=1000", $"/processes/limits:1/jobs/{id}"])
        {
            var response = await _client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var answer = await _client.PostAsync("/jobs/_search", ApiCalls.Json("{\"query\":{\"ids\":{\"values\":[\"" + id + "\"]}}}"));
        var search = JsonNode.Parse(await answer.Content.ReadAsStringAsync(), documentOptions: new JsonDocumentOptions { MaxDepth = 1000 })!;
        Assert.Equal(id, Assert.Single(ApiCalls.HitIds(search)));
        var leaf = search["hits"]!["hits"]![0]!["_source"]!["outputs"]!["deep"]!;
        for (var level = 0; level < 62; level++)
        {
            leaf = leaf["a"]!;
        }

        Assert.Equal("leaf", leaf.GetValue<string>());
    }

    private static async Task<(int Status, JsonNode Body)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!);
    }
}
