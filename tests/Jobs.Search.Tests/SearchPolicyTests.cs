using Jobs.Core.Search;
using Jobs.Search.Policy;
using Jobs.Search.Queries;
using static Jobs.Search.Tests.Parse;

namespace Jobs.Search.Tests;

/// <summary>
/// The search policy as a pass over parsed trees: what it refuses (by node type, with where),
/// how it scopes a caller, what it hides, and that words which merely look like a construct
/// (<c>script</c>, <c>agg</c>, <c>index</c>, <c>global</c>) are ordinary fields, values and names.
/// </summary>
public class SearchPolicyTests
{
    private static readonly SearchCaller Alice = new("alice", IsAdmin: false);

    private static SearchRequest Apply(string json, SearchCaller? caller = null) => SearchPolicy.Apply(Request(json), caller ?? Alice);

    private static SearchException Refused(string json, SearchCaller? caller = null) =>
        Assert.Throws<SearchException>(() => Apply(json, caller));

    [Fact]
    public void A_callers_query_becomes_a_bool_of_their_query_and_a_filter_on_their_id()
    {
        var scoped = Assert.IsType<BoolNode>(Apply("""{"query":{"match":{"message":"disk"}}}""").Query);

        Assert.IsType<MatchNode>(Assert.Single(scoped.Must));
        var owner = Assert.IsType<TermNode>(Assert.Single(scoped.Filter));
        Assert.Equal(("user-id", "\"alice\""), (owner.Field, Text(owner.Value)));
        Assert.Empty(scoped.Should);
        Assert.Empty(scoped.MustNot);
    }

    [Fact]
    public void A_caller_without_a_query_is_scoped_too_and_an_admin_is_not()
    {
        var scoped = Apply("{}");
        Assert.True(scoped.HasQuery);
        Assert.IsType<MatchAllNode>(Assert.Single(Assert.IsType<BoolNode>(scoped.Query).Must));

        var admin = Apply("""{"query":{"term":{"status":"running"}}}""", SearchCaller.Admin);
        Assert.IsType<TermNode>(admin.Query);
        Assert.False(Apply("{}", SearchCaller.Admin).HasQuery);
    }

    [Fact]
    public void A_count_is_scoped_like_a_search()
    {
        var count = SearchPolicy.Apply(SearchRequestParser.ParseCount(Body("""{"query":{"term":{"status":"running"}}}""")), Alice);

        Assert.Equal("alice", Assert.IsType<TermNode>(Assert.Single(Assert.IsType<BoolNode>(count.Query).Filter)).Value.GetValue<string>());
    }

    [Fact]
    public void Every_hidden_field_is_excluded_from_source_for_every_caller()
    {
        foreach (var caller in new[] { Alice, SearchCaller.Admin })
        {
            Assert.Equal(SearchPolicy.HiddenFields, Apply("""{"_source":["status"]}""", caller).Source.Excludes);
        }
    }

    [Theory]
    [InlineData("""{"fields":["*"]}""", "fields", "token-sha256")]
    [InlineData("""{"fields":["idem*"]}""", "fields", "idempotency")]
    [InlineData("""{"docvalue_fields":[{"field":"merge"}]}""", "docvalue_fields", "merge")]
    [InlineData("""{"stored_fields":"pending-events"}""", "stored_fields", "pending-events")]
    [InlineData("""{"fields":["outbox"]}""", "fields", "outbox")]
    [InlineData("""{"fields":["idempotency.request-sha256"]}""", "fields", "idempotency.request-sha256")]
    public void A_field_list_that_would_read_a_hidden_field_is_refused(string json, string key, string field)
    {
        var e = Refused(json, SearchCaller.Admin);

        Assert.Equal(("illegal_argument_exception", $"[{key}] may not read the field [{field}]; name the fields you need"), (e.Type, e.Reason));
    }

    [Theory]
    [InlineData("""{"query":{"script":{"script":"1"}}}""", "[script] is not allowed", "query.script")]
    [InlineData("""{"query":{"script_score":{"query":{"match_all":{}},"script":"1"}}}""", "[script_score] is not allowed", "query.script_score")]
    [InlineData("""{"query":{"bool":{"filter":[{"term":{"a":"1"}},{"script":{"script":"1"}}]}}}""", "[script] is not allowed", "query.bool.filter.script")]
    [InlineData("""{"query":{"constant_score":{"filter":{"dis_max":{"queries":[{"script":{"script":"1"}}]}}}}}""", "[script] is not allowed", "query.constant_score.filter.dis_max.queries.script")]
    [InlineData("""{"post_filter":{"bool":{"must_not":{"script":{"script":"1"}}}}}""", "[script] is not allowed", "post_filter.bool.must_not.script")]
    [InlineData("""{"aggs":{"f":{"filter":{"script":{"script":"1"}}}}}""", "[script] is not allowed", "aggs.f.filter.script")]
    [InlineData("""{"aggs":{"f":{"filters":{"filters":{"x":{"script":{"script":"1"}}}}}}}""", "[script] is not allowed", "aggs.f.filters.filters.script")]
    [InlineData("""{"aggs":{"t":{"terms":{"field":"a"},"aggs":{"s":{"scripted_metric":{}}}}}}""", "[scripted_metric] is not allowed", "aggs.t.aggs.s.scripted_metric")]
    [InlineData("""{"aggs":{"t":{"terms":{"script":"1"}}}}""", "[script] is not allowed", "aggs.t.terms.script")]
    [InlineData("""{"aggs":{"b":{"bucket_selector":{"script":"1"}}}}""", "[bucket_selector] is not allowed", "aggs.b.bucket_selector")]
    [InlineData("""{"sort":[{"_script":{"script":"1","type":"number"}}]}""", "[_script] is not allowed", "sort._script")]
    [InlineData("""{"script_fields":{"x":{"script":"1"}}}""", "[script_fields] is not allowed", "script_fields")]
    [InlineData("""{"runtime_mappings":{"x":{"type":"long"}}}""", "[runtime_mappings] is not allowed", "runtime_mappings")]
    [InlineData("""{"query":{"function_score":{"functions":[{"script_score":{"script":"1"}}]}}}""", "[script_score] is not allowed", "query.function_score.functions.script_score")]
    [InlineData("""{"aggs":{"p":{"percentiles":{"field":"a","script":"1"}}}}""", "[script] is not allowed", "aggs.p.percentiles.script")]
    [InlineData("""{"aggs":{"h":{"histogram":{"field":"a","interval":1},"aggs":{"s":{"bucket_script":{"script":"1"}}}}}}""", "[bucket_script] is not allowed", "aggs.h.aggs.s.bucket_script")]
    [InlineData("""{"sort":[{"events.time":{"nested":{"path":"events","filter":{"script":{"script":"1"}}}}}]}""", "[script] is not allowed", "sort.events.time.nested.filter.script")]
    [InlineData("""{"highlight":{"fields":{"message":{"highlight_query":{"script":{"script":"1"}}}}}}""", "[script] is not allowed", "highlight.fields.message.highlight_query.script")]
    public void A_script_is_refused_wherever_it_is_and_the_error_says_where(string json, string construct, string at)
    {
        foreach (var caller in new[] { Alice, SearchCaller.Admin })
        {
            var e = Refused(json, caller);

            Assert.Equal("illegal_argument_exception", e.Type);
            Assert.StartsWith(construct, e.Reason, StringComparison.Ordinal);
            Assert.EndsWith($"(at {at})", e.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"query":{"terms":{"labels":{"index":"secrets","id":"1","path":"tags"}}}}""", "a terms lookup reads another index")]
    [InlineData("""{"query":{"bool":{"should":{"terms":{"labels":{"id":"1","path":"tags"}}}}}}""", "a terms lookup reads another index")]
    [InlineData("""{"aggs":{"f":{"filter":{"terms":{"labels":{"index":"jobs","id":"1","path":"tags"}}}}}}""", "a terms lookup reads another index")]
    [InlineData("""{"query":{"more_like_this":{"fields":["message"],"like":[{"_index":"secrets","_id":"1"}]}}}""", "documents of another index cannot be referenced")]
    [InlineData("""{"query":{"percolate":{"field":"q","index":"secrets","id":"1"}}}""", "documents of another index cannot be referenced")]
    [InlineData("""{"query":{"nested":{"path":"p","query":{"more_like_this":{"like":{"_index":"x","_id":"1"}}}}}}""", "documents of another index cannot be referenced")]
    [InlineData("""{"query":{"wrapper":{"query":"eyJtYXRjaF9hbGwiOnt9fQ=="}}}""", "[wrapper] hides the query it runs")]
    public void Terms_lookups_references_to_other_indices_and_wrapped_queries_are_refused(string json, string words)
    {
        foreach (var caller in new[] { Alice, SearchCaller.Admin })
        {
            var e = Refused(json, caller);

            Assert.Equal("illegal_argument_exception", e.Type);
            Assert.StartsWith(words, e.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"aggs":{"all":{"global":{}}}}""", "aggs.all.global")]
    [InlineData("""{"aggs":{"t":{"terms":{"field":"status"},"aggs":{"all":{"global":{}}}}}}""", "aggs.t.aggs.all.global")]
    [InlineData("""{"aggs":{"h":{"histogram":{"field":"a","interval":1},"aggs":{"g":{"global":{}}}}}}""", "aggs.h.aggs.g.global")]
    public void A_global_aggregation_is_refused_to_a_caller_and_allowed_to_an_admin(string json, string at)
    {
        var e = Refused(json);
        Assert.Equal($"a [global] aggregation would read other users' jobs and is not allowed (at {at})", e.Reason);

        Apply(json, SearchCaller.Admin);
    }

    [Theory]
    [InlineData("knn", """{"field":"v","query_vector":[1],"k":1}""")]
    [InlineData("suggest", """{"s":{"text":"dsik","term":{"field":"message"}}}""")]
    [InlineData("retriever", """{"standard":{"query":{"match_all":{}}}}""")]
    [InlineData("sub_searches", """[{"query":{"match_all":{}}}]""")]
    [InlineData("rank", """{"rrf":{}}""")]
    public void Options_that_search_outside_the_query_are_refused_to_a_caller(string key, string value)
    {
        var json = $$"""{"{{key}}":{{value}}}""";

        Assert.Equal($"[{key}] searches outside the request's query, so it could read other users' jobs, and is not allowed (at {key})", Refused(json).Reason);
        Assert.Equal(key, Assert.IsType<OpaqueOption>(Assert.Single(Apply(json, SearchCaller.Admin).Options)).Key);
    }

    [Theory]
    [InlineData("""{"query":{"term":{"inputs.script":"x"}}}""")]
    [InlineData("""{"query":{"term":{"script":"x"}}}""")]
    [InlineData("""{"query":{"match":{"message":"run the script on the global index"}}}""")]
    [InlineData("""{"query":{"terms":{"labels":["script","_index","global","aggs"]}}}""")]
    [InlineData("""{"query":{"exists":{"field":"index"}}}""")]
    [InlineData("""{"query":{"bool":{"filter":[{"prefix":{"inputs.runtime_mappings":"a"}},{"wildcard":{"inputs._index":"*"}}]}}}""")]
    [InlineData("""{"query":{"query_string":{"query":"script:yes AND index:2","fields":["inputs.script"]}}}""")]
    [InlineData("""{"aggs":{"aggs_by_script":{"terms":{"field":"inputs.script"}}}}""")]
    [InlineData("""{"aggs":{"global":{"terms":{"field":"index"}}}}""")]
    [InlineData("""{"aggs":{"script":{"filter":{"term":{"script":"global"}}},"by_index":{"max":{"field":"index"}}}}""")]
    [InlineData("""{"aggs":{"t":{"terms":{"field":"labels","missing":"script"}}}}""")]
    [InlineData("""{"sort":[{"inputs.script":"asc"},"index"]}""")]
    [InlineData("""{"_source":["inputs.script","index"],"fields":["script"],"docvalue_fields":["inputs.index"]}""")]
    [InlineData("""{"post_filter":{"term":{"runtime_mappings":"script_fields"}}}""")]
    [InlineData("""{"aggs":{"t":{"terms":{"field":"labels","include":"script"}}}}""")]
    public void A_field_value_or_name_that_merely_contains_a_constructs_word_is_ordinary(string json)
    {
        var applied = Apply(json);

        Assert.IsType<BoolNode>(applied.Query);
    }

    [Fact]
    public void The_policy_leaves_every_part_it_does_not_scope_as_parsed()
    {
        var request = Request("""{"query":{"term":{"a":"1"}},"aggs":{"t":{"terms":{"field":"status"}}},"sort":["created"],"size":3,"search_after":[1],"suggest":{}}""");

        var applied = SearchPolicy.Apply(request, SearchCaller.Admin);

        Assert.Same(request.Query, applied.Query);
        Assert.Same(request.Aggregations, applied.Aggregations);
        Assert.Same(request.Sort, applied.Sort);
        Assert.Same(request.Options, applied.Options);
        Assert.Equal((3, request.SearchAfter), (applied.Size, applied.SearchAfter));
    }

    [Fact]
    public void The_writer_sends_the_scoped_query_and_filtered_source_and_everything_else_as_written()
    {
        var body = Body("""{"size":2,"query":{"term":{"inputs.script":"x"}},"suggest":{"s":{"text":"a","term":{"field":"message"}}},"aggs":{"aggs_by_script":{"terms":{"field":"inputs.script"}}}}""");

        var written = SearchRequestWriter.Write(SearchPolicy.Apply(SearchRequestParser.Parse(body), SearchCaller.Admin));

        Assert.Equal(
            """{"size":2,"query":{"term":{"inputs.script":"x"}},"suggest":{"s":{"text":"a","term":{"field":"message"}}},"aggs":{"aggs_by_script":{"terms":{"field":"inputs.script"}}},"_source":{"excludes":["token-sha256","idempotency","merge","pending-events","outbox"]}}""",
            written.ToJsonString());
    }
}
