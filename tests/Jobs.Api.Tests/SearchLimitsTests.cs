using System.Text.Json.Nodes;

namespace Jobs.Api.Tests;

/// <summary>
/// Issue 12 on the search side, each failing request of the issue replayed: strict bodies,
/// clause limits, pattern limits and the malformed values that answered 500 now answer 400.
/// </summary>
public class SearchLimitsTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonNode> RefusedAsync(string path, string body)
    {
        var (status, error) = await _client.SendAsync(HttpMethod.Post, path, body);
        Assert.Equal(400, status);
        return error!["error"]!;
    }

    private static string RootCause(JsonNode error, string field) => error["root_cause"]![0]![field]!.GetValue<string>();

    [Fact]
    public async Task A_key_given_twice_is_a_duplicate_field_error()
    {
        var error = await RefusedAsync("/jobs/_search", """{"size":1,"size":2}""");

        Assert.Equal("x_content_parse_exception", error["type"]!.GetValue<string>());
        Assert.StartsWith("Duplicate field 'size'", error["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/jobs/_search", """{"query":{"term":{"status":"\ud800"}}}""")]
    [InlineData("/jobs/_count", """{"query":{"term":{"status":"a\udc00b"}}}""")]
    public async Task A_lone_surrogate_in_a_search_body_is_a_400(string path, string body)
    {
        var error = await RefusedAsync(path, body);

        Assert.Equal("x_content_parse_exception", error["type"]!.GetValue<string>());
        Assert.Contains("query.term.status", error["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_search_body_is_a_400()
    {
        using var content = new ByteArrayContent([.. "{\"query\":{\"term\":{\"status\":\""u8, 0xff, 0xfe, .. "\"}}}"u8]);
        content.Headers.ContentType = new("application/json");
        var response = await _client.PostAsync("/jobs/_search", content);

        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_bool_with_1025_filters_is_too_many_clauses()
    {
        var filters = string.Join(",", Enumerable.Range(0, 1025).Select(i => $$$$"""{"term":{"labels":"l{{{{i}}}}"}}"""));

        var error = await RefusedAsync("/jobs/_search", $$$$"""{"query":{"bool":{"filter":[{{{{filters}}}}]}}}""");

        Assert.Equal("too_many_clauses", RootCause(error, "type"));
        Assert.Equal("maxClauseCount is set to 1024", RootCause(error, "reason"));
    }

    [Fact]
    public async Task Nested_bools_past_the_limit_are_too_many_nested_clauses()
    {
        var inner = string.Join(",", Enumerable.Range(0, 600).Select(i => $$$$"""{"term":{"labels":"l{{{{i}}}}"}}"""));
        var body = $$$$"""{"query":{"bool":{"should":[{"bool":{"should":[{{{{inner}}}}]}},{"bool":{"should":[{{{{inner}}}}]}}]}}}""";

        var error = await RefusedAsync("/jobs/_count", body);

        Assert.Equal("too_many_nested_clauses", RootCause(error, "type"));
    }

    [Fact]
    public async Task A_simple_query_string_with_3000_ors_is_a_clause_limit_error()
    {
        var text = string.Join("|", Enumerable.Range(0, 3001).Select(i => $"w{i}"));

        var error = await RefusedAsync("/jobs/_search", $$$$"""{"query":{"simple_query_string":{"query":"{{{{text}}}}"}}}""");

        Assert.StartsWith("too_many_", RootCause(error, "type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_string_expanding_past_the_limit_is_a_clause_limit_error()
    {
        var text = string.Join(" OR ", Enumerable.Range(0, 200).Select(i => $"w{i}"));

        var error = await RefusedAsync("/jobs/_search?q=" + Uri.EscapeDataString(text), "");

        Assert.StartsWith("too_many_", RootCause(error, "type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_phrase_slop_is_a_400()
    {
        var error = await RefusedAsync("/jobs/_search", """{"query":{"match_phrase":{"message":{"query":"a b","slop":-1}}}}""");

        Assert.Equal("illegal_argument_exception", error["type"]!.GetValue<string>());
        Assert.Equal("No negative slop allowed.", error["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"stored_fields":"x"}""", "[stored_fields] is not supported by this store")]
    [InlineData("""{"docvalue_fields":"x"}""", "Unknown key for a VALUE_STRING in [docvalue_fields].")]
    [InlineData("""{"fields":"x"}""", "Unknown key for a VALUE_STRING in [fields].")]
    public async Task Field_lists_given_as_a_string_are_answered_as_elasticsearch_does(string body, string reason)
    {
        var error = await RefusedAsync("/jobs/_search", body);

        Assert.Equal("parsing_exception", error["type"]!.GetValue<string>());
        Assert.Equal(reason, error["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wildcard_of_1000_question_marks_on_id_is_refused_by_length()
    {
        var pattern = new string('?', 1000) + "*";

        var error = await RefusedAsync("/jobs/_count", $$$$"""{"query":{"wildcard":{"id":"{{{{pattern}}}}"}}}""");

        Assert.Equal("illegal_argument_exception", RootCause(error, "type"));
        Assert.Contains("[1001]", RootCause(error, "reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wildcard_of_1000_star_a_on_message_is_refused_by_length()
    {
        var pattern = string.Concat(Enumerable.Repeat("*a", 1000));

        var error = await RefusedAsync("/jobs/_count", $$$$"""{"query":{"wildcard":{"message":"{{{{pattern}}}}"}}}""");

        Assert.Contains("index.max_regex_length", RootCause(error, "reason").Replace("Jobs:Search:MaxRegexLength", "index.max_regex_length", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"query":{"wildcard":{"message":"*a????????????????????"}}}""")]
    [InlineData("""{"query":{"query_string":{"query":"message:*a????????????????????"}}}""")]
    [InlineData("""{"query":{"query_string":{"query":"*a????????????????????"}}}""")]
    public async Task A_short_pattern_with_a_huge_automaton_is_too_complex_to_determinize(string body)
    {
        var error = await RefusedAsync("/jobs/_count", body);

        Assert.Equal("too_complex_to_determinize_exception", RootCause(error, "type"));
    }
}
