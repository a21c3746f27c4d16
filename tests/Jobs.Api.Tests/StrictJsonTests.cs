using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests;

/// <summary>
/// Issue 12, items 5 and 10: execute, update, labels and deploy bodies that are JSON but not
/// acceptable (lone surrogates, invalid UTF-8, duplicate keys, numbers out of range) and values
/// that are accepted though wrong answer 400 with the place named, and change nothing.
/// </summary>
public class StrictJsonTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    private const string Inputs = """{"x":{"schema":{"type":"string"}},"n":{"schema":{"type":"integer"},"minOccurs":0}}""";

    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string, string> Bodies => new()
    {
        // execute
        { "execute", """{"inputs":{"x":"\ud800"}}""" },
        { "execute", """{"inputs":{"x":"v"},"labels":["ok","\udc00x"]}""" },
        { "execute", """{"inputs":{"x":"v","x":"w"}}""" },
        { "execute", """{"inputs":{"x":"v"},"labels":[],"labels":["a"]}""" },
        { "execute", """{"inputs":{"x":"v","n":1e400}}""" },
        { "execute", """{"inputs":{"\ud800":"v"}}""" },
        // update
        { "update", """{"version":1,"id":"u1","job-id":"JOB","token":"TOKEN","time":"2026-01-01T00:00:00Z","message":"\ud800"}""" },
        { "update", """{"version":1,"id":"u2","job-id":"JOB","token":"TOKEN","time":"2026-01-01T00:00:00Z","labels":{"add":["\ud800"]}}""" },
        { "update", """{"version":1,"id":"u3","job-id":"JOB","token":"TOKEN","time":"2026-01-01T00:00:00Z","status":"running","status":"failed"}""" },
        { "update", """{"version":1,"id":"u4","job-id":"JOB","token":"TOKEN","time":"2026-01-01T00:00:00Z","outputs":{"o":-1e400}}""" },
        // deploy
        { "deploy", """{"processDescription":{"id":"strict-x","version":"1","title":"\ud800","inputs":{},"outputs":{}},"executionUnit":{"href":"x"}}""" },
        { "deploy", """{"processDescription":{"id":"strict-x","id":"strict-y","version":"1","inputs":{},"outputs":{}},"executionUnit":{"href":"x"}}""" },
        { "deploy", """{"processDescription":{"id":"strict-x","version":"1","inputs":{"a":{"schema":{"type":"nonsense"}}},"outputs":{}},"executionUnit":{"href":"x"}}""" },
        { "deploy", """{"processDescription":{"id":"strict-x","version":"1","inputs":{"a":{"schema":{"type":"array","items":{"type":["string","tuple"]}}}},"outputs":{}},"executionUnit":{"href":"x"}}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Json_that_cannot_be_read_exactly_is_a_400_naming_the_place(string kind, string body)
    {
        var (path, text) = await TargetAsync(kind, body);
        var before = await SnapshotAsync();

        var response = await _client.PostAsync(path, new StringContent(text, Encoding.UTF8, "application/json"));

        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((int)response.StatusCode == 400, problem.ToJsonString());
        Assert.NotEmpty(problem["errors"]!.AsObject());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("execute")]
    [InlineData("update")]
    [InlineData("deploy")]
    public async Task Invalid_utf8_in_a_string_is_a_400(string kind)
    {
        var (path, text) = await TargetAsync(kind, kind switch
        {
            "execute" => """{"inputs":{"x":"BAD"}}""",
            "update" => """{"version":1,"id":"u9","job-id":"JOB","token":"TOKEN","time":"2026-01-01T00:00:00Z","stage":"BAD"}""",
            _ => """{"processDescription":{"id":"strict-u","version":"1","title":"BAD"},"executionUnit":{"href":"x"}}""",
        });
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = text.IndexOf("BAD", StringComparison.Ordinal);
        bytes[at] = 0xff;
        bytes[at + 1] = 0xfe;
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _client.PostAsync(path, content);

        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("UTF-8", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fifty_thousand_duplicate_input_keys_are_a_400()
    {
        await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("strict", "1", Inputs)));
        var body = "{\"inputs\":{" + string.Join(",", Enumerable.Repeat("\"x\":\"v\"", 50_000)) + "}}";

        var response = await _client.PostAsync("/processes/strict:1/jobs", ApiCalls.Json(body));

        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("inputs.x", Assert.Single(problem["errors"]!.AsObject()).Key);
    }

    [Fact]
    public async Task Fifty_thousand_values_of_a_one_value_input_in_the_seed_encoding_are_a_400()
    {
        await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("strict", "1", Inputs)));
        var body = "{\"inputs\":[" + string.Join(",", Enumerable.Repeat("{\"id\":\"x\",\"data\":0}", 50_000)) + "]}";

        var response = await _client.PostAsync("/processes/strict:1/jobs", ApiCalls.Json(body));

        Assert.Equal(400, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("18446744073709551616", 400)]
    [InlineData("9223372036854775808", 400)]
    [InlineData("9223372036854775807", 201)]
    [InlineData("-9223372036854775808", 201)]
    [InlineData("3.0", 201)]
    [InlineData("3.5", 400)]
    public async Task An_integer_input_must_fit_a_64_bit_integer(string value, int expected)
    {
        await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("strict", "1", Inputs)));

        var response = await _client.PostAsync("/processes/strict:1/jobs", ApiCalls.Json("{\"inputs\":{\"x\":\"v\",\"n\":" + value + "}}"));

        Assert.True(expected == (int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mode_sync_is_refused_with_the_reason()
    {
        await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("strict", "1", Inputs)));

        var response = await _client.PostAsync("/processes/strict:1/jobs", ApiCalls.Json("""{"mode":"sync","inputs":{"x":"v"}}"""));

        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("always asynchronous", problem["errors"]!["mode"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var accepted = await _client.PostAsync("/processes/strict:1/jobs", ApiCalls.Json("""{"mode":"async","inputs":{"x":"v"}}"""));
        Assert.Equal(201, (int)accepted.StatusCode);
    }

    [Fact]
    public async Task A_schema_type_that_json_schema_does_not_have_is_refused_at_deploy()
    {
        var response = await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("strict-type", "1", """{"a":{"schema":{"type":"nonsense"}}}""")));

        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("processDescription.inputs.a.schema.type", Assert.Single(problem["errors"]!.AsObject()).Key);
        Assert.Equal(404, (int)(await _client.GetAsync("/processes/strict-type:1")).StatusCode);
    }

    /// <summary>The path and body for one kind of request (an update gets a real job and token).</summary>
    private async Task<(string Path, string Body)> TargetAsync(string kind, string body)
    {
        switch (kind)
        {
            case "execute":
                await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("strict", "1", Inputs)));
                return ("/processes/strict:1/jobs", body);
            case "update":
                await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("strict", "1", Inputs)));
                var (jobId, token) = await _client.ExecuteAsync("strict:1");
                return ($"/jobs/{jobId}/updates", body.Replace("JOB", jobId, StringComparison.Ordinal).Replace("TOKEN", token, StringComparison.Ordinal));
            default:
                return ("/processes", body);
        }
    }

    /// <summary>Every job (all fields) and every process: what a refused request must leave unchanged.</summary>
    private async Task<string> SnapshotAsync()
    {
        var jobs = await _client.SearchAsync("""{"size":1000,"sort":[{"id":"asc"}]}""");
        var processes = await _client.GetJsonAsync("/processes");
        return jobs["hits"]!.ToJsonString() + processes.ToJsonString();
    }
}
