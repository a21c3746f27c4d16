using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>
/// The rest of the query DSL on the fixed corpus: prefix, wildcard, case-insensitive terms,
/// minimum_should_match forms, constant_score and boost, and the errors Elasticsearch gives for
/// what it refuses (the root cause's type and reason).
/// </summary>
public abstract partial class JobStoreConformance
{
    [SkippableTheory]
    // Term-level queries > Prefix query (keyword, text tokens, flattened key, case_insensitive)
    [InlineData("Term-level queries > Prefix query (keyword, text tokens, flattened key, case_insensitive)", """{"prefix":{"process-id":"l1"}}""", "job-1,job-2,job-5")]
    [InlineData("Term-level queries > Prefix query (keyword, text tokens, flattened key, case_insensitive)", """{"prefix":{"process-id":{"value":"L2","case_insensitive":true}}}""", "job-3,job-4")]
    [InlineData("Term-level queries > Prefix query (keyword, text tokens, flattened key, case_insensitive)", """{"prefix":{"message":"cop"}}""", "job-2")]
    [InlineData("Term-level queries > Prefix query (keyword, text tokens, flattened key, case_insensitive)", """{"prefix":{"message":"Cop"}}""", "")]
    [InlineData("Term-level queries > Prefix query (keyword, text tokens, flattened key, case_insensitive)", """{"prefix":{"inputs.collection":"C"}}""", "job-1,job-2,job-3")]
    [InlineData("Term-level queries > Prefix query (keyword, text tokens, flattened key, case_insensitive)", """{"prefix":{"outputs":"s3://"}}""", "job-3")]
    // Term-level queries > Wildcard query (* and ?, case_insensitive, flattened root)
    [InlineData("Term-level queries > Wildcard query (* and ?, case_insensitive, flattened root)", """{"wildcard":{"user-id":"*o*"}}""", "job-2,job-4,job-5")]
    [InlineData("Term-level queries > Wildcard query (* and ?, case_insensitive, flattened root)", """{"wildcard":{"process-id":{"value":"l?b-cwl"}}}""", "job-1,job-2,job-5")]
    [InlineData("Term-level queries > Wildcard query (* and ?, case_insensitive, flattened root)", """{"wildcard":{"status":{"wildcard":"SUCC*","case_insensitive":true}}}""", "job-3")]
    [InlineData("Term-level queries > Wildcard query (* and ?, case_insensitive, flattened root)", """{"wildcard":{"inputs":"c*"}}""", "")]
    [InlineData("Term-level queries > Wildcard query (* and ?, case_insensitive, flattened root)", """{"wildcard":{"inputs":"C?"}}""", "job-1,job-2,job-3")]
    // Term query > case_insensitive
    [InlineData("Term query > case_insensitive", """{"term":{"status":{"value":"RUNNING","case_insensitive":true}}}""", "job-2")]
    // Boolean query > minimum_should_match: more than there are matches nothing; combinations
    [InlineData("Boolean query > minimum_should_match: more than there are matches nothing; combinations", """{"bool":{"should":[{"term":{"labels":"red"}},{"term":{"labels":"blue"}}],"minimum_should_match":3}}""", "")]
    [InlineData("Boolean query > minimum_should_match: more than there are matches nothing; combinations", """{"bool":{"should":[{"term":{"labels":"red"}},{"term":{"labels":"blue"}},{"term":{"user-id":"alice"}}],"minimum_should_match":"2<-1"}}""", "job-1")]
    [InlineData("Boolean query > minimum_should_match: more than there are matches nothing; combinations", """{"bool":{"should":[{"term":{"labels":"red"}},{"term":{"labels":"blue"}},{"term":{"user-id":"alice"}}],"minimum_should_match":"50%"}}""", "job-1,job-2,job-3,job-5")]
    [InlineData("Boolean query > minimum_should_match: more than there are matches nothing; combinations", """{"bool":{"must":{"term":{"user-id":"bob"}},"minimum_should_match":1}}""", "")]
    // Compound queries > Constant score and Disjunction max
    [InlineData("Compound queries > Constant score and Disjunction max", """{"constant_score":{"filter":{"term":{"labels":"blue"}},"boost":1.5}}""", "job-1,job-5")]
    [InlineData("Compound queries > Constant score and Disjunction max", """{"dis_max":{"queries":[{"term":{"status":"failed"}},{"term":{"labels":"green"}}],"tie_breaker":0.7}}""", "job-3,job-4")]
    public async Task Other_queries_find_the_expected_jobs(string reference, string query, string expected)
    {
        var (store, _) = await CorpusAsync();

        AssertCase(reference, expected, string.Join(",", await QueryIdsAsync(store, query)));
    }

    [SkippableFact]
    public async Task Constant_score_and_filter_scores_are_the_boost_and_zero()
    {
        // Compound queries > Constant score query: every hit scores the boost; a filter-only bool scores 0.
        var (store, _) = await CorpusAsync();

        var constant = await store.Jobs.SearchAsync(Json("""{"query":{"constant_score":{"filter":{"term":{"labels":"blue"}},"boost":1.5}}}"""), None);
        var filtered = await store.Jobs.SearchAsync(Json("""{"query":{"bool":{"filter":{"term":{"labels":"blue"}}}}}"""), None);
        var matchAll = await store.Jobs.SearchAsync(Json("""{"query":{"match_all":{"boost":2}},"size":1}"""), None);

        Assert.All(Hits(constant), h => Assert.Equal(1.5, h!["_score"]!.GetValue<double>(), 5));
        Assert.All(Hits(filtered), h => Assert.Equal(0.0, h!["_score"]!.GetValue<double>(), 5));
        Assert.Equal(2.0, Hits(matchAll)[0]!["_score"]!.GetValue<double>(), 5);
    }

    [SkippableTheory]
    // Wildcard/prefix on a number, wildcard on a flattened key, a one-sided range on a flattened key
    [InlineData("Term-level queries > Wildcard and Prefix query, Field data types > Flattened: wildcard/prefix on a number, wildcard on a flattened key, a one-sided range on a flattened key", """{"query":{"wildcard":{"progress":"4*"}}}""", "query_shard_exception", "Can only use wildcard queries on keyword, text and wildcard fields - not on [progress] which is of type [integer]")]
    [InlineData("Term-level queries > Wildcard and Prefix query, Field data types > Flattened: wildcard/prefix on a number, wildcard on a flattened key, a one-sided range on a flattened key", """{"query":{"prefix":{"created":"2026"}}}""", "query_shard_exception", "Can only use prefix queries on keyword, text and wildcard fields - not on [created] which is of type [date]")]
    [InlineData("Term-level queries > Wildcard and Prefix query, Field data types > Flattened: wildcard/prefix on a number, wildcard on a flattened key, a one-sided range on a flattened key", """{"query":{"wildcard":{"inputs.collection":"C*"}}}""", "query_shard_exception", "[wildcard] queries are not currently supported on keyed [flattened] fields.")]
    [InlineData("Term-level queries > Wildcard and Prefix query, Field data types > Flattened: wildcard/prefix on a number, wildcard on a flattened key, a one-sided range on a flattened key", """{"query":{"range":{"inputs.region.lat":{"gte":"15"}}}}""", "query_shard_exception", "[range] queries on keyed [flattened] fields must include both an upper and a lower bound.")]
    // A value the field cannot take, outside lenient mode
    [InlineData("Full text queries > Match query > lenient; Term query: a value the field cannot take", """{"query":{"match":{"progress":"forty"}}}""", "query_shard_exception", "For input string: \"forty\"")]
    [InlineData("Full text queries > Match query > lenient; Term query: a value the field cannot take", """{"query":{"term":{"duration":"long"}}}""", "query_shard_exception", "For input string: \"long\"")]
    // Query string syntax errors
    [InlineData("Full text queries > Query string query > syntax", """{"query":{"query_string":{"query":"status:(running"}}}""", "query_shard_exception", "Failed to parse query [status:(running]")]
    // Parameters Elasticsearch does not know
    [InlineData("Query DSL > Match query, Query string query, Constant score query: parameters", """{"query":{"match":{"message":{"query":"x","bogus":1}}}}""", "parsing_exception", "[match] query does not support [bogus]")]
    [InlineData("Query DSL > Match query, Query string query, Constant score query: parameters", """{"query":{"query_string":{"default_field":"message"}}}""", "parsing_exception", "[query_string] must be provided with a [query]")]
    [InlineData("Query DSL > Match query, Query string query, Constant score query: parameters", """{"query":{"constant_score":{"boost":2}}}""", "parsing_exception", "[constant_score] requires a 'filter' element")]
    // Aggregation parameters
    [InlineData("Aggregations > Date histogram (calendar_interval, fixed_interval), Min (field types), Sub-aggregations, Terms > Order", """{"aggs":{"h":{"date_histogram":{"field":"created","calendar_interval":"2d"}}}}""", "x_content_parse_exception", "[date_histogram] failed to parse field [calendar_interval]")]
    [InlineData("Aggregations > Date histogram (calendar_interval, fixed_interval), Min (field types), Sub-aggregations, Terms > Order", """{"aggs":{"h":{"date_histogram":{"field":"created","fixed_interval":"2w"}}}}""", "x_content_parse_exception", "[date_histogram] failed to parse field [fixed_interval]")]
    [InlineData("Aggregations > Date histogram (calendar_interval, fixed_interval), Min (field types), Sub-aggregations, Terms > Order", """{"aggs":{"h":{"date_histogram":{"field":"created"}}}}""", "illegal_argument_exception", "Invalid interval specified, must be non-null and non-empty")]
    [InlineData("Aggregations > Date histogram (calendar_interval, fixed_interval), Min (field types), Sub-aggregations, Terms > Order", """{"aggs":{"m":{"avg":{"field":"status"}}}}""", "illegal_argument_exception", "Field [status] of type [keyword] is not supported for aggregation [avg]")]
    [InlineData("Aggregations > Date histogram (calendar_interval, fixed_interval), Min (field types), Sub-aggregations, Terms > Order", """{"aggs":{"m":{"min":{"field":"progress"},"aggs":{"x":{"max":{"field":"progress"}}}}}}""", "aggregation_initialization_exception", "Aggregator [m] of type [min] cannot accept sub-aggregations")]
    [InlineData("Aggregations > Date histogram (calendar_interval, fixed_interval), Min (field types), Sub-aggregations, Terms > Order", """{"aggs":{"t":{"terms":{"field":"status","order":{"nope":"desc"}}}}}""", "aggregation_execution_exception", "Invalid aggregator order path [nope]")]
    [InlineData("Aggregations > Date histogram (calendar_interval, fixed_interval), Min (field types), Sub-aggregations, Terms > Order", """{"aggs":{"t":{"nonsense":{}}}}""", "parsing_exception", "Unknown aggregation type [nonsense]")]
    // Paginate search results: size up to 10,000
    [InlineData("Paginate search results: size up to 10,000", """{"size":10001}""", "illegal_argument_exception", "Result window is too large, from + size must be less than or equal to: [10000] but was [10001]")]
    public async Task Refused_requests_name_what_is_wrong(string reference, string body, string type, string reasonPart)
    {
        var (store, _) = await CorpusAsync();

        var error = await Assert.ThrowsAsync<Core.Search.SearchException>(() => store.Jobs.SearchAsync(Json(body), None));

        var (rootType, rootReason) = RootCause(error);
        Assert.Equal(400, error.Status);
        AssertCase(reference, type, rootType);
        Assert.True(rootReason.Contains(reasonPart, StringComparison.Ordinal), $"{reference}: [{rootReason}] does not contain [{reasonPart}]");
    }

    /// <summary>Asserts with the case's Elasticsearch reference in the failure message.</summary>
    private static void AssertCase(string reference, string expected, string actual) =>
        Assert.True(expected == actual, $"{reference}{Environment.NewLine}  expected: {expected}{Environment.NewLine}  actual:   {actual}");

    [SkippableFact]
    public async Task Size_of_exactly_ten_thousand_is_accepted()
    {
        // Paginate search results: index.max_result_window is 10,000, inclusive.
        var (store, ids) = await CorpusAsync();

        var response = await store.Jobs.SearchAsync(Json("""{"size":10000,"sort":["id"]}"""), None);

        Assert.Equal(ids, Ids(response));
    }
}
