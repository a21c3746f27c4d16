using Jobs.Search.Queries;
using static Jobs.Search.Tests.Parse;

namespace Jobs.Search.Tests;

/// <summary>
/// The query DSL parser, in the manner of Lucene.Net's query-parser tests: each query text gives
/// one tree (or one Elasticsearch error); no index is involved.
/// </summary>
public class QueryParserTests
{
    [Fact]
    public void Match_all_and_match_none_take_a_boost()
    {
        var all = Assert.IsType<MatchAllNode>(Query("""{"match_all":{"boost":1.5}}"""));
        Assert.Equal(1.5f, all.Boost);
        Assert.IsType<MatchNoneNode>(Query("""{"match_none":{}}"""));
        Assert.IsType<MatchAllNode>(Query("""{}"""));
    }

    [Fact]
    public void Match_all_refuses_an_option_it_does_not_have()
    {
        var e = QueryError("""{"match_all":{"field":"x"}}""");
        Assert.Equal(("parsing_exception", "[match_all] query does not support [field]"), (e.Type, e.Reason));
    }

    [Theory]
    [InlineData("""{"term":{"status":"running"}}""", "status", "\"running\"", false, null)]
    [InlineData("""{"term":{"status":{"value":"running","boost":2,"case_insensitive":true}}}""", "status", "\"running\"", true, 2f)]
    [InlineData("""{"term":{"progress":50}}""", "progress", "50", false, null)]
    [InlineData("""{"term":{"flag":true,"boost":3}}""", "flag", "true", false, 3f)]
    [InlineData("""{"term":{"inputs.script":"x"}}""", "inputs.script", "\"x\"", false, null)]
    [InlineData("""{"term":{"labels":"script"}}""", "labels", "\"script\"", false, null)]
    public void Term_has_a_field_a_scalar_value_and_options(string json, string field, string value, bool caseInsensitive, float? boost)
    {
        var term = Assert.IsType<TermNode>(Query(json));

        Assert.Equal((field, value, caseInsensitive, boost), (term.Field, Text(term.Value), term.CaseInsensitive, term.Boost));
        Assert.Equal(json, Text(term.Json));
    }

    [Theory]
    [InlineData("""{"term":{"status":["a","b"]}}""", "parsing_exception", "[term] query does not support array of values")]
    [InlineData("""{"term":{"status":null}}""", "illegal_argument_exception", "value cannot be null")]
    [InlineData("""{"term":{"status":{"boost":1}}}""", "illegal_argument_exception", "value cannot be null")]
    [InlineData("""{"term":{"a":"x","b":"y"}}""", "parsing_exception", "[term] query doesn't support multiple fields, found [a] and [b]")]
    [InlineData("""{"term":{"a":{"value":"x","slop":1}}}""", "parsing_exception", "[term] query does not support [slop]")]
    [InlineData("""{"term":{}}""", "illegal_argument_exception", "[term] query requires a field")]
    [InlineData("""{"term":"status"}""", "parsing_exception", "[term] query malformed, no start_object after query name")]
    [InlineData("""{"term":{"a":"x"},"match":{"b":"y"}}""", "parsing_exception", "[term] malformed query, expected [END_OBJECT] but found [FIELD_NAME]")]
    [InlineData("""[{"term":{"a":"x"}}]""", "parsing_exception", "[_na] query malformed, must start with start_object")]
    [InlineData("""{"temr":{"a":"x"}}""", "parsing_exception", "unknown query [temr]")]
    [InlineData("""{"term":{"a":{"value":"x","boost":"high"}}}""", "parsing_exception", "[boost] must be a number, found [\"high\"]")]
    public void Malformed_term_queries_get_elasticsearchs_error(string json, string type, string reason)
    {
        var e = QueryError(json);

        Assert.Equal((type, reason), (e.Type, e.Reason));
        Assert.Equal(400, e.Status);
    }

    [Fact]
    public void Terms_is_a_list_of_scalars()
    {
        var terms = Assert.IsType<TermsNode>(Query("""{"terms":{"labels":["a",1,true],"boost":2}}"""));

        Assert.Equal("labels", terms.Field);
        Assert.Equal(["\"a\"", "1", "true"], terms.Values.Select(Text));
        Assert.Equal(2f, terms.Boost);
    }

    [Theory]
    [InlineData("""{"terms":{"labels":"a"}}""", "[terms] query does not support [labels]")]
    [InlineData("""{"terms":{"labels":[{"a":1}]}}""", "[terms] query does not support null or non-scalar values")]
    [InlineData("""{"terms":{"labels":[null]}}""", "[terms] query does not support null or non-scalar values")]
    public void Terms_refuses_values_that_are_not_a_list_of_scalars(string json, string reason)
    {
        Assert.Equal(reason, QueryError(json).Reason);
    }

    [Fact]
    public void A_terms_lookup_is_its_own_node_naming_the_index()
    {
        var lookup = Assert.IsType<TermsLookupNode>(Query("""{"terms":{"labels":{"index":"secrets","id":"1","path":"tags"}}}"""));

        Assert.Equal(("labels", "secrets"), (lookup.Field, lookup.Index));
    }

    [Fact]
    public void Ids_exists_prefix_and_wildcard()
    {
        Assert.Equal(["a", "1"], Assert.IsType<IdsNode>(Query("""{"ids":{"values":["a",1]}}""")).Ids);
        Assert.Equal("status", Assert.IsType<ExistsNode>(Query("""{"exists":{"field":"status"}}""")).Field);

        var prefix = Assert.IsType<PrefixNode>(Query("""{"prefix":{"message":{"value":"Ru","case_insensitive":true,"rewrite":"constant_score"}}}"""));
        Assert.Equal(("message", "Ru", true), (prefix.Field, prefix.Value, prefix.CaseInsensitive));

        var wildcard = Assert.IsType<WildcardNode>(Query("""{"wildcard":{"labels":{"wildcard":"l*1"}}}"""));
        Assert.Equal(("labels", "l*1", false), (wildcard.Field, wildcard.Pattern, wildcard.CaseInsensitive));
        Assert.Equal("l?", Assert.IsType<WildcardNode>(Query("""{"wildcard":{"labels":"l?"}}""")).Pattern);
    }

    [Theory]
    [InlineData("""{"ids":{"values":"a"}}""", "parsing_exception", "[ids] values must be an array")]
    [InlineData("""{"exists":{}}""", "illegal_argument_exception", "[exists] must be provided with a [field]")]
    [InlineData("""{"exists":{"field":"a","value":1}}""", "parsing_exception", "[exists] query does not support [value]")]
    [InlineData("""{"prefix":{"message":{}}}""", "illegal_argument_exception", "[prefix] requires a value for the field [message]")]
    [InlineData("""{"wildcard":{"message":{"value":"a","slop":2}}}""", "parsing_exception", "[wildcard] query does not support [slop]")]
    public void Malformed_term_level_queries_get_elasticsearchs_error(string json, string type, string reason)
    {
        var e = QueryError(json);
        Assert.Equal((type, reason), (e.Type, e.Reason));
    }

    [Theory]
    [InlineData("""{"range":{"progress":{"gt":10,"lte":20}}}""", "10", false, "20", true)]
    [InlineData("""{"range":{"progress":{"gte":10,"lt":20}}}""", "10", true, "20", false)]
    [InlineData("""{"range":{"progress":{"from":10,"to":20,"include_lower":false,"include_upper":false}}}""", "10", false, "20", false)]
    [InlineData("""{"range":{"progress":{"from":10,"to":null}}}""", "10", true, null, false)]
    [InlineData("""{"range":{"progress":{"lt":5}}}""", null, false, "5", false)]
    public void Range_reads_its_bounds_in_every_spelling(string json, string? lower, bool lowerInclusive, string? upper, bool upperInclusive)
    {
        var range = Assert.IsType<RangeNode>(Query(json));

        Assert.Equal("progress", range.Field);
        Assert.Equal(lower, range.Lower is null ? null : Text(range.Lower.Value));
        Assert.Equal(upper, range.Upper is null ? null : Text(range.Upper.Value));
        if (range.Lower is not null)
        {
            Assert.Equal(lowerInclusive, range.Lower.Inclusive);
        }

        if (range.Upper is not null)
        {
            Assert.Equal(upperInclusive, range.Upper.Inclusive);
        }
    }

    [Fact]
    public void Range_keeps_format_and_time_zone_for_the_store_to_resolve()
    {
        var range = Assert.IsType<RangeNode>(Query("""{"range":{"created":{"gte":"now-1d/d","format":"strict_date_optional_time","time_zone":"+01:00","boost":2}}}"""));

        Assert.Equal(("\"now-1d/d\"", "strict_date_optional_time", "+01:00", 2f), (Text(range.Lower!.Value), range.Format, range.TimeZone, range.Boost));
    }

    [Theory]
    [InlineData("""{"range":{"progress":5}}""", "[range] query malformed, no start_object after field name [progress]")]
    [InlineData("""{"range":{"progress":{"gt":[1]}}}""", "[range] query does not support a non-scalar [gt]")]
    [InlineData("""{"range":{"progress":{"above":1}}}""", "[range] query does not support [above]")]
    public void Malformed_ranges_are_parsing_exceptions(string json, string reason)
    {
        var e = QueryError(json);
        Assert.Equal(("parsing_exception", reason), (e.Type, e.Reason));
    }

    [Fact]
    public void Match_reads_the_short_and_the_long_form()
    {
        var shortForm = Assert.IsType<MatchNode>(Query("""{"match":{"message":"disk full"}}"""));
        Assert.Equal(("message", "disk full", new TextOptions(false, null, null, false)), (shortForm.Field, shortForm.Text, shortForm.Options));

        var longForm = Assert.IsType<MatchNode>(Query(
            """{"match":{"message":{"query":"disk full","operator":"AND","minimum_should_match":"75%","lenient":true,"zero_terms_query":"all","boost":2}}}"""));
        Assert.Equal(new TextOptions(true, "75%", true, true), longForm.Options);
        Assert.Equal(2f, longForm.Boost);
    }

    [Fact]
    public void Match_phrase_has_a_slop_and_refuses_a_negative_one()
    {
        var phrase = Assert.IsType<MatchPhraseNode>(Query("""{"match_phrase":{"message":{"query":"disk full","slop":2}}}"""));
        Assert.Equal(("message", "disk full", 2), (phrase.Field, phrase.Text, phrase.Slop));

        var e = QueryError("""{"match_phrase":{"message":{"query":"a b","slop":-1}}}""");
        Assert.Equal(("illegal_argument_exception", "No negative slop allowed."), (e.Type, e.Reason));

        // operator is a match option, not a phrase one.
        Assert.Equal("[match_phrase] query does not support [operator]", QueryError("""{"match_phrase":{"message":{"query":"a","operator":"and"}}}""").Reason);
    }

    [Theory]
    [InlineData("""{"match":{"message":{"query":"a","operator":"xor"}}}""", "illegal_argument_exception", "operator needs to be either [and] or [or], but not [xor]")]
    [InlineData("""{"match":{"message":{"query":"a","minimum_should_match":[1]}}}""", "parsing_exception", "[match] minimum_should_match must be a number or a string")]
    [InlineData("""{"match":{"message":{"query":"a","zero_terms_query":"some"}}}""", "parsing_exception", "Unsupported zero_terms_query value [some]")]
    [InlineData("""{"match":{"message":{"operator":"and"}}}""", "illegal_argument_exception", "[match] requires query value")]
    [InlineData("""{"match":{"message":{"query":"a","colour":"red"}}}""", "parsing_exception", "[match] query does not support [colour]")]
    public void Malformed_match_queries_get_elasticsearchs_error(string json, string type, string reason)
    {
        var e = QueryError(json);
        Assert.Equal((type, reason), (e.Type, e.Reason));
    }

    [Theory]
    [InlineData("""{"match":{"message":{"query":"a","fuzziness":"AUTO"}}}""", "match", "match.fuzziness")]
    [InlineData("""{"match":{"message":{"query":"a","analyzer":"standard"}}}""", "match", "match.analyzer")]
    [InlineData("""{"multi_match":{"query":"a","type":"cross_fields"}}""", "multi_match", "multi_match.type cross_fields")]
    [InlineData("""{"query_string":{"query":"a","type":"phrase"}}""", "query_string", "query_string.type phrase")]
    [InlineData("""{"range":{"when":{"gte":1,"relation":"within"}}}""", "range", "range.relation")]
    [InlineData("""{"fuzzy":{"message":"dsik"}}""", "fuzzy", "fuzzy")]
    [InlineData("""{"nested":{"path":"events","query":{"match_all":{}}}}""", "nested", "nested")]
    [InlineData("""{"geo_distance":{"distance":"1km","pin":[0,0]}}""", "geo_distance", "geo_distance")]
    [InlineData("""{"geo_something_new":{}}""", "geo_something_new", "geo_something_new")]
    [InlineData("""{"span_term":{"message":"a"}}""", "span_term", "span_term")]
    [InlineData("""{"knn":{"field":"v","query_vector":[1]}}""", "knn", "knn")]
    [InlineData("""{"wrapper":{"query":"e30="}}""", "wrapper", "wrapper")]
    [InlineData("""{"function_score":{"query":{"match_all":{}}}}""", "function_score", "function_score")]
    public void Valid_queries_no_builder_runs_are_opaque_and_kept_verbatim(string json, string name, string construct)
    {
        var opaque = Assert.IsType<OpaqueQueryNode>(Query(json));

        Assert.Equal((name, construct), (opaque.Name, opaque.Construct));
        Assert.Equal(json, Text(opaque.Json));
    }

    [Theory]
    [InlineData("""{"script":{"script":{"source":"doc['a'].value > 1"}}}""", "script")]
    [InlineData("""{"script_score":{"query":{"match_all":{}},"script":{"source":"1"}}}""", "script_score")]
    public void Script_queries_are_script_nodes(string json, string name)
    {
        Assert.Equal(name, Assert.IsType<ScriptQueryNode>(Query(json)).Name);
    }

    [Fact]
    public void Multi_match_reads_fields_type_and_tie_breaker()
    {
        var multi = Assert.IsType<MultiMatchNode>(Query(
            """{"multi_match":{"query":"disk","fields":["message","labels^2"],"type":"MOST_FIELDS","tie_breaker":0.3,"operator":"and"}}"""));

        Assert.Equal(["message", "labels^2"], multi.Fields);
        Assert.Equal(("disk", "most_fields", 0.3f, true), (multi.Text, multi.Type, multi.TieBreaker, multi.Options.And));
        Assert.Equal(["message"], Assert.IsType<MultiMatchNode>(Query("""{"multi_match":{"query":"a","fields":"message"}}""")).Fields);
        Assert.Equal("[multi_match] query does not allow type [sideways]", QueryError("""{"multi_match":{"query":"a","type":"sideways"}}""").Reason);
    }

    [Fact]
    public void Query_string_and_simple_query_string()
    {
        var full = Assert.IsType<QueryStringNode>(Query(
            """{"query_string":{"query":"status:running AND disk","default_field":"message","default_operator":"and","phrase_slop":1,"time_zone":"Europe/Paris","allow_leading_wildcard":false,"tie_breaker":0.5}}"""));
        Assert.False(full.Simple);
        Assert.Equal(("status:running AND disk", "message", true, 1, "Europe/Paris", false, 0.5f), (full.Query, full.DefaultField, full.Options.And, full.PhraseSlop, full.TimeZone, full.AllowLeadingWildcard, full.TieBreaker));

        var simple = Assert.IsType<QueryStringNode>(Query("""{"simple_query_string":{"query":"disk -full","fields":["message"],"flags":"AND|NOT"}}"""));
        Assert.True(simple.Simple);
        Assert.Equal(["message"], simple.Fields);
        Assert.Equal(SimpleQueryFlags.And | SimpleQueryFlags.Not, simple.SimpleFlags);
        Assert.Equal(SimpleQueryFlags.All, Assert.IsType<QueryStringNode>(Query("""{"simple_query_string":{"query":"a"}}""")).SimpleFlags);
    }

    [Theory]
    [InlineData("""{"query_string":{"default_field":"message"}}""", "[query_string] must be provided with a [query]")]
    [InlineData("""{"query_string":{"query":"a","default_field":"message","fields":["x"]}}""", "[query_string] cannot use [fields] parameter in conjunction with [default_field]")]
    [InlineData("""{"simple_query_string":{"query":"a","default_field":"message"}}""", "[simple_query_string] query does not support [default_field]")]
    [InlineData("""{"query_string":{"query":{"a":1}}}""", "[query_string] query must be a string")]
    public void Malformed_query_strings_are_parsing_exceptions(string json, string reason)
    {
        Assert.Equal(reason, QueryError(json).Reason);
    }

    [Fact]
    public void Bool_reads_every_occur_skips_empty_clauses_and_keeps_minimum_should_match()
    {
        var b = Assert.IsType<BoolNode>(Query("""
            {"bool":{"must":{"term":{"a":"1"}},"filter":[{"term":{"b":"2"}},{}],"should":[{"term":{"c":"3"}},{"term":{"c":"4"}}],
                     "must_not":[{"exists":{"field":"d"}}],"minimum_should_match":1,"boost":2,"adjust_pure_negative":true,"_name":"n"}}
            """));

        Assert.Equal(["a"], b.Must.Cast<TermNode>().Select(t => t.Field));
        Assert.Equal(["b"], b.Filter.Cast<TermNode>().Select(t => t.Field));
        Assert.Equal(2, b.Should.Count);
        Assert.IsType<ExistsNode>(Assert.Single(b.MustNot));
        Assert.Equal(("1", 2f), (b.MinimumShouldMatch, b.Boost));
    }

    [Theory]
    [InlineData("""{"bool":{"must":"x"}}""", "[bool] query does not support [must] as VALUE_STRING")]
    [InlineData("""{"bool":{"mist":[]}}""", "[bool] query does not support [mist]")]
    [InlineData("""{"bool":{"minimum_should_match":{}}}""", "[bool] minimum_should_match must be a number or a string")]
    [InlineData("""{"constant_score":{"boost":2}}""", "[constant_score] requires a 'filter' element")]
    [InlineData("""{"dis_max":{"tie_breaker":0.1}}""", "[dis_max] requires 'queries' field with at least one clause")]
    public void Malformed_compound_queries_are_parsing_exceptions(string json, string reason)
    {
        var e = QueryError(json);
        Assert.Equal(("parsing_exception", reason), (e.Type, e.Reason));
    }

    [Fact]
    public void Compound_queries_nest_to_any_depth()
    {
        var constant = Assert.IsType<ConstantScoreNode>(Query("""{"constant_score":{"filter":{"bool":{"must":[{"dis_max":{"queries":[{"term":{"a":"x"}},{"match":{"m":"y"}}],"tie_breaker":0.7}}]}},"boost":3}}"""));

        Assert.Equal(3f, constant.Boost);
        var dis = Assert.IsType<DisMaxNode>(Assert.Single(Assert.IsType<BoolNode>(constant.Filter).Must));
        Assert.Equal(0.7f, dis.TieBreaker);
        Assert.Collection(dis.Queries, q => Assert.IsType<TermNode>(q), q => Assert.IsType<MatchNode>(q));
    }

    [Fact]
    public void A_construct_inside_a_compound_query_stays_a_node_of_its_own()
    {
        var b = Assert.IsType<BoolNode>(Query("""{"bool":{"should":[{"script":{"script":"1"}},{"fuzzy":{"m":"x"}},{"terms":{"l":{"index":"i","id":"1","path":"p"}}}]}}"""));

        Assert.Collection(
            b.Should,
            q => Assert.IsType<ScriptQueryNode>(q),
            q => Assert.Equal("fuzzy", Assert.IsType<OpaqueQueryNode>(q).Construct),
            q => Assert.IsType<TermsLookupNode>(q));
    }
}
