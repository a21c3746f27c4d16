using Jobs.Core.Search;
using Jobs.Search.Queries;
using Jobs.Search.Sorting;
using static Jobs.Search.Tests.Parse;

namespace Jobs.Search.Tests;

/// <summary>
/// The top level of a <c>_search</c> / <c>_count</c> body: paging, sort, <c>_source</c>,
/// <c>search_after</c>, <c>track_total_hits</c>, and the options kept verbatim.
/// </summary>
public class RequestParserTests
{
    [Fact]
    public void An_empty_body_is_the_first_ten_hits_by_relevance_of_everything()
    {
        var request = Request("{}");

        Assert.IsType<MatchAllNode>(request.Query);
        Assert.False(request.HasQuery);
        Assert.Equal((0, 10, false, 10_000), (request.From, request.Size, request.Sort.IsExplicit, request.TrackTotalHitsUpTo));
        Assert.True(request.Source.IsIdentity);
        Assert.Null(request.SearchAfter);
        Assert.Empty(request.Aggregations);
        Assert.Empty(request.Options);
    }

    [Theory]
    [InlineData("""{"from":5,"size":20}""", 5, 20)]
    [InlineData("""{"from":"5","size":"0"}""", 5, 0)]
    [InlineData("""{"size":3.0}""", 0, 3)]
    public void From_and_size_are_whole_numbers(string json, int from, int size)
    {
        var request = Request(json);
        Assert.Equal((from, size), (request.From, request.Size));
    }

    [Theory]
    [InlineData("""{"from":-1}""", "illegal_argument_exception", "[from] parameter cannot be negative, found [-1]")]
    [InlineData("""{"size":-1}""", "illegal_argument_exception", "[size] parameter cannot be negative, found [-1]")]
    [InlineData("""{"size":1.5}""", "parsing_exception", "[size] must be a whole number, found [1.5]")]
    [InlineData("""{"size":"ten"}""", "parsing_exception", "[size] must be a whole number, found [\"ten\"]")]
    [InlineData("""{"from":3,"search_after":[1]}""", "illegal_argument_exception", "[from] parameter must be set to 0 when [search_after] is used")]
    [InlineData("""{"qurey":{}}""", "parsing_exception", "Unknown key for a START_OBJECT in [qurey].")]
    [InlineData("""{"sizes":1}""", "parsing_exception", "Unknown key for a VALUE_NUMBER in [sizes].")]
    [InlineData("""{"timeout":{}}""", "parsing_exception", "[timeout] must be a time value")]
    [InlineData("""{"track_scores":"yes"}""", "parsing_exception", "[track_scores] must be a boolean, found [\"yes\"]")]
    public void Malformed_top_level_values_get_elasticsearchs_error(string json, string type, string reason)
    {
        var e = SearchError(json);
        Assert.Equal((type, reason), (e.Type, e.Reason));
    }

    [Theory]
    [InlineData("true", int.MaxValue)]
    [InlineData("false", null)]
    [InlineData("100", 100)]
    [InlineData("-1", null)]
    [InlineData("0", 0)]
    public void Track_total_hits_is_exact_off_or_a_bound(string value, int? upTo)
    {
        Assert.Equal(upTo, Request($$"""{"track_total_hits":{{value}}}""").TrackTotalHitsUpTo);
    }

    [Fact]
    public void Search_after_is_kept_as_written_for_the_store_to_check_against_its_sort()
    {
        var request = Request("""{"sort":[{"created":"desc"},"_doc"],"search_after":["2026-01-01T00:00:00Z",7]}""");

        Assert.Equal("""["2026-01-01T00:00:00Z",7]""", Text(request.SearchAfter));
    }

    [Fact]
    public void Sort_reads_names_objects_orders_and_options_in_order()
    {
        var sort = Request("""
            {"sort":["labels",{"created":"desc"},{"progress":{"order":"asc","missing":"_first","mode":"max","unmapped_type":"long"}},"_score",{"_doc":{"order":"asc"}}]}
            """).Sort;

        Assert.True(sort.IsExplicit);
        var keys = sort.Keys.Cast<FieldSortKey>().ToList();
        Assert.Equal(["labels", "created", "progress", "_score", "_doc"], keys.Select(k => k.Name));
        Assert.Equal([null, "desc", "asc", null, "asc"], keys.Select(k => k.Order));
        Assert.Equal(("_first", "max", "long", (string?)null), (keys[2].Missing, keys[2].Mode, keys[2].UnmappedType, keys[2].Unsupported));
        Assert.Equal("""{"order":"asc","missing":"_first","mode":"max","unmapped_type":"long"}""", Text(keys[2].Options));
    }

    [Fact]
    public void A_single_sort_key_need_not_be_a_list()
    {
        Assert.Equal("created", Assert.Single(Request("""{"sort":"created"}""").Sort.Keys).Name);
        Assert.Equal("created", Assert.Single(Request("""{"sort":{"created":"asc"}}""").Sort.Keys).Name);
    }

    [Fact]
    public void Sorts_no_builder_runs_are_named_and_scripts_and_geo_sorts_are_their_own_keys()
    {
        var keys = Request("""
            {"sort":[{"progress":{"numeric_type":"double"}},{"events.time":{"nested":{"path":"events"}}},{"_script":{"type":"number","script":"1"}},{"_geo_distance":{"pin":[0,0]}}]}
            """).Sort.Keys;

        Assert.Equal("sort.numeric_type", Assert.IsType<FieldSortKey>(keys[0]).Unsupported);
        Assert.Equal("sort.nested", Assert.IsType<FieldSortKey>(keys[1]).Unsupported);
        Assert.IsType<ScriptSortKey>(keys[2]);
        Assert.Equal("_geo_distance", Assert.IsType<OpaqueSortKey>(keys[3]).Name);
    }

    [Theory]
    [InlineData("""{"sort":[1]}""", "[sort] malformed: expected a field name or an object, found VALUE_NUMBER")]
    [InlineData("""{"sort":[{"created":{"direction":"asc"}}]}""", "[field_sort] unknown field [direction]")]
    [InlineData("""{"sort":[{"created":1}]}""", "[sort] malformed options for [created]")]
    [InlineData("""{"sort":[{"created":{"missing":[]}}]}""", "[sort] missing must be a value")]
    public void Malformed_sorts_are_parsing_exceptions(string json, string reason)
    {
        var e = SearchError(json);
        Assert.Equal(("parsing_exception", reason), (e.Type, e.Reason));
    }

    [Theory]
    [InlineData("true", true, "", "")]
    [InlineData("false", false, "", "")]
    [InlineData("\"status\"", true, "status", "")]
    [InlineData("""["status","inputs.*"]""", true, "status,inputs.*", "")]
    [InlineData("""{"includes":"inputs.*","excludes":["inputs.secret"]}""", true, "inputs.*", "inputs.secret")]
    [InlineData("""{"include":["a"],"exclude":"b"}""", true, "a", "b")]
    public void Source_filters_in_every_form(string source, bool fetch, string includes, string excludes)
    {
        var filter = Request($$"""{"_source":{{source}}}""").Source;

        Assert.Equal((fetch, includes, excludes), (filter.Fetch, string.Join(",", filter.Includes), string.Join(",", filter.Excludes)));
        Assert.Equal(source, Text(filter.Json));
    }

    [Theory]
    [InlineData("""{"_source":1}""", "[_source] must be a boolean, a string, an array or an object")]
    [InlineData("""{"_source":{"fields":["a"]}}""", "Unknown key for a START_OBJECT in [fields] in [_source].")]
    [InlineData("""{"_source":[1]}""", "[_source] must contain strings")]
    [InlineData("""{"_source":{"includes":{}}}""", "[includes] must be a string or an array of strings")]
    public void Malformed_source_filters_are_parsing_exceptions(string json, string reason)
    {
        Assert.Equal(reason, SearchError(json).Reason);
    }

    [Fact]
    public void A_source_filter_applies_includes_then_excludes_to_dotted_paths()
    {
        var filter = Request("""{"_source":{"includes":["inputs.*","status"],"excludes":["inputs.secret"]}}""").Source;

        var source = filter.Apply(Body("""{"status":"running","inputs":{"a":1,"secret":"s","deep":{"b":2}},"labels":["x"]}"""));

        Assert.Equal("""{"status":"running","inputs":{"a":1,"deep":{"b":2}}}""", source.ToJsonString());
    }

    [Fact]
    public void Excluding_a_field_keeps_what_the_caller_wrote_and_adds_to_excludes()
    {
        var filter = Request("""{"_source":"status"}""").Source.Excluding("token-sha256");

        Assert.Equal("""{"includes":["status"],"excludes":["token-sha256"]}""", Text(filter.Json));
        var none = Request("""{"_source":false}""").Source;
        Assert.Same(none, none.Excluding("token-sha256"));
    }

    [Theory]
    [InlineData("suggest", """{"s":{"text":"dsik","term":{"field":"message"}}}""")]
    [InlineData("pit", """{"id":"abc","keep_alive":"1m"}""")]
    [InlineData("knn", """{"field":"v","query_vector":[1,2],"k":3}""")]
    [InlineData("highlight", """{"fields":{"message":{}}}""")]
    [InlineData("collapse", """{"field":"status"}""")]
    [InlineData("rescore", """{"window_size":10}""")]
    [InlineData("min_score", "0.5")]
    [InlineData("terminate_after", "100")]
    [InlineData("indices_boost", """[{"jobs":2}]""")]
    [InlineData("retriever", """{"standard":{}}""")]
    [InlineData("explain", "true")]
    [InlineData("profile", "true")]
    public void Valid_options_no_builder_runs_are_kept_verbatim_by_name(string key, string value)
    {
        var option = Assert.IsType<OpaqueOption>(Assert.Single(Request($$"""{"{{key}}":{{value}}}""").Options));

        Assert.Equal((key, value), (option.Key, Text(option.Value)));
    }

    [Fact]
    public void Explain_version_and_profile_asked_for_as_false_ask_for_nothing()
    {
        Assert.Empty(Request("""{"explain":false,"version":false,"seq_no_primary_term":false,"profile":false}""").Options);
    }

    [Fact]
    public void Post_filter_field_lists_and_script_options_are_typed_options()
    {
        var options = Request("""
            {"post_filter":{"term":{"status":"failed"}},"fields":["status",{"field":"created","format":"epoch_millis"}],"stored_fields":"_none_",
             "docvalue_fields":["progress"],"script_fields":{"x":{"script":"1"}},"runtime_mappings":{"y":{"type":"keyword"}}}
            """).Options;

        Assert.Equal("status", Assert.IsType<TermNode>(Assert.IsType<PostFilterOption>(options[0]).Filter).Field);
        Assert.Equal(["status", "created"], Assert.IsType<FieldListOption>(options[1]).Patterns);
        Assert.Equal(["_none_"], Assert.IsType<FieldListOption>(options[2]).Patterns);
        Assert.Equal(["progress"], Assert.IsType<FieldListOption>(options[3]).Patterns);
        Assert.Equal("script_fields", Assert.IsType<ScriptOption>(options[4]).Key);
        Assert.Equal("runtime_mappings", Assert.IsType<ScriptOption>(options[5]).Key);
    }

    [Theory]
    [InlineData("""{"fields":"status"}""", "Unknown key for a VALUE_STRING in [fields].")]
    [InlineData("""{"fields":[1]}""", "Expected [VALUE_STRING] or [START_OBJECT] in [fields] but found [VALUE_NUMBER]")]
    [InlineData("""{"stored_fields":[{"field":"a"}]}""", "Expected [VALUE_STRING] or [START_OBJECT] in [stored_fields] but found [START_OBJECT]")]
    public void Malformed_field_lists_are_parsing_exceptions(string json, string reason)
    {
        Assert.Equal(reason, SearchError(json).Reason);
    }

    [Fact]
    public void Count_takes_a_query_min_score_and_terminate_after_only()
    {
        var count = SearchRequestParser.ParseCount(Body("""{"query":{"term":{"status":"running"}},"min_score":1,"terminate_after":10}"""));

        Assert.True(count.HasQuery);
        Assert.IsType<TermNode>(count.Query);
        Assert.Equal(["min_score", "terminate_after"], count.Options.Select(o => o.Key));
        Assert.IsType<MatchAllNode>(SearchRequestParser.ParseCount(null).Query);

        var e = Assert.Throws<SearchException>(() => SearchRequestParser.ParseCount(Body("""{"size":1}""")));
        Assert.Equal(("parsing_exception", "request does not support [size]"), (e.Type, e.Reason));
    }

    [Fact]
    public void The_parsed_request_keeps_the_body_it_came_from()
    {
        var body = Body("""{"query":{"match":{"message":"disk"}},"size":1}""");

        var request = SearchRequestParser.Parse(body);

        Assert.Same(body, request.Json);
        Assert.Same(body["query"], request.Query.Json);
    }
}
