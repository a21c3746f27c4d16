using System.Text.Json.Nodes;
using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>
/// Aggregations > Bucket (date_histogram, filter, filters, terms with sub-aggregations) on the
/// fixed corpus: jobs created 2026-11-22 10:00 and 11:00, 11-23, 11-24 and 11-25 at 10:00 UTC.
/// Buckets are written <c>key:doc_count</c> (the <c>key_as_string</c> when there is one).
/// </summary>
public abstract partial class JobStoreConformance
{
    private static async Task<JsonObject> AggregateAsync(IStoreUnderTest store, string aggregation, string query = """{"match_all":{}}""")
    {
        var response = await store.Jobs.SearchAsync(Json("{\"size\":0,\"query\":" + query + ",\"aggs\":{\"a\":" + aggregation + "}}"), None);
        return response["aggregations"]!["a"]!.AsObject();
    }

    private static string Rendered(JsonNode? buckets) => buckets switch
    {
        JsonArray array => string.Join(",", array.Select(b => $"{Key(b!)}:{b!["doc_count"]!.GetValue<long>()}")),
        JsonObject keyed => string.Join(",", keyed.Select(p => $"{p.Key}:{p.Value!["doc_count"]!.GetValue<long>()}")),
        _ => "",
    };

    private static string Key(JsonNode bucket) =>
        (bucket["key_as_string"] ?? bucket["key"])?.ToJsonString().Trim('"') ?? "";

    [SkippableTheory]
    // Date histogram > Calendar intervals (day, week from Monday, month, quarter, year)
    [InlineData("Date histogram > Calendar intervals (day, week from Monday, month, quarter, year)", """{"field":"created","calendar_interval":"day"}""", "", "2026-11-22T00:00:00.000Z:2,2026-11-23T00:00:00.000Z:1,2026-11-24T00:00:00.000Z:1,2026-11-25T00:00:00.000Z:1")]
    [InlineData("Date histogram > Calendar intervals (day, week from Monday, month, quarter, year)", """{"field":"created","calendar_interval":"1w"}""", "", "2026-11-16T00:00:00.000Z:2,2026-11-23T00:00:00.000Z:3")]
    [InlineData("Date histogram > Calendar intervals (day, week from Monday, month, quarter, year)", """{"field":"created","calendar_interval":"month"}""", "", "2026-11-01T00:00:00.000Z:5")]
    [InlineData("Date histogram > Calendar intervals (day, week from Monday, month, quarter, year)", """{"field":"created","calendar_interval":"1q"}""", "", "2026-10-01T00:00:00.000Z:5")]
    [InlineData("Date histogram > Calendar intervals (day, week from Monday, month, quarter, year)", """{"field":"created","calendar_interval":"year"}""", "", "2026-01-01T00:00:00.000Z:5")]
    // Date histogram > Fixed intervals: multiples of SI units from the epoch
    [InlineData("Date histogram > Fixed intervals: multiples of SI units from the epoch", """{"field":"created","fixed_interval":"36h"}""", "", "2026-11-21T00:00:00.000Z:2,2026-11-22T12:00:00.000Z:1,2026-11-24T00:00:00.000Z:2")]
    // Date histogram > Time zone: rounded in local time, printed with the offset
    [InlineData("Date histogram > Time zone: rounded in local time, printed with the offset", """{"field":"created","calendar_interval":"day","time_zone":"-11:00"}""", "", "2026-11-21T00:00:00.000-11:00:1,2026-11-22T00:00:00.000-11:00:2,2026-11-23T00:00:00.000-11:00:1,2026-11-24T00:00:00.000-11:00:1")]
    // Date histogram > Offset: days from noon
    [InlineData("Date histogram > Offset: days from noon", """{"field":"created","calendar_interval":"day","offset":"+12h"}""", "", "2026-11-21T12:00:00.000Z:2,2026-11-22T12:00:00.000Z:1,2026-11-23T12:00:00.000Z:1,2026-11-24T12:00:00.000Z:1")]
    // Date histogram > Keys: format
    [InlineData("Date histogram > Keys: format", """{"field":"created","calendar_interval":"day","format":"yyyy-MM-dd"}""", "", "2026-11-22:2,2026-11-23:1,2026-11-24:1,2026-11-25:1")]
    // Date histogram > Parameters: empty buckets between the first and the last (min_doc_count 0), extended_bounds, min_doc_count 1
    [InlineData("Date histogram > Parameters: empty buckets between the first and the last (min_doc_count 0), extended_bounds, min_doc_count 1", """{"field":"created","calendar_interval":"day"}""", """{"term":{"labels":"blue"}}""", "2026-11-22T00:00:00.000Z:1,2026-11-23T00:00:00.000Z:0,2026-11-24T00:00:00.000Z:0,2026-11-25T00:00:00.000Z:1")]
    [InlineData("Date histogram > Parameters: empty buckets between the first and the last (min_doc_count 0), extended_bounds, min_doc_count 1", """{"field":"created","calendar_interval":"day","format":"yyyy-MM-dd","extended_bounds":{"min":"2026-11-20","max":"2026-11-26"}}""", """{"term":{"labels":"blue"}}""", "2026-11-20:0,2026-11-21:0,2026-11-22:1,2026-11-23:0,2026-11-24:0,2026-11-25:1,2026-11-26:0")]
    [InlineData("Date histogram > Parameters: empty buckets between the first and the last (min_doc_count 0), extended_bounds, min_doc_count 1", """{"field":"created","calendar_interval":"day","min_doc_count":1}""", """{"term":{"labels":"blue"}}""", "2026-11-22T00:00:00.000Z:1,2026-11-25T00:00:00.000Z:1")]
    // Date histogram > Order and Keyed response
    [InlineData("Date histogram > Order and Keyed response", """{"field":"created","calendar_interval":"day","order":{"_key":"desc"},"format":"yyyy-MM-dd"}""", "", "2026-11-25:1,2026-11-24:1,2026-11-23:1,2026-11-22:2")]
    [InlineData("Date histogram > Order and Keyed response", """{"field":"created","calendar_interval":"day","order":{"_count":"desc"},"format":"yyyy-MM-dd"}""", "", "2026-11-22:2,2026-11-23:1,2026-11-24:1,2026-11-25:1")]
    [InlineData("Date histogram > Order and Keyed response", """{"field":"created","calendar_interval":"day","keyed":true,"format":"yyyy-MM-dd"}""", "", "2026-11-22:2,2026-11-23:1,2026-11-24:1,2026-11-25:1")]
    // Date histogram on a field some jobs lack (stop-time: finished jobs only), and with missing
    [InlineData("Date histogram > Missing value: a field some jobs lack (stop-time: finished jobs only), and with missing", """{"field":"stop-time","calendar_interval":"day","format":"yyyy-MM-dd"}""", "", "2026-11-23:1,2026-11-24:1,2026-11-25:1")]
    [InlineData("Date histogram > Missing value: a field some jobs lack (stop-time: finished jobs only), and with missing", """{"field":"stop-time","calendar_interval":"day","format":"yyyy-MM-dd","missing":"2026-11-22"}""", "", "2026-11-22:2,2026-11-23:1,2026-11-24:1,2026-11-25:1")]
    public async Task Date_histogram_buckets_by_calendar_and_fixed_intervals(string reference, string histogram, string query, string expected)
    {
        var (store, _) = await CorpusAsync();

        var agg = await AggregateAsync(store, """{"date_histogram":""" + histogram + "}", query.Length == 0 ? """{"match_all":{}}""" : query);

        AssertCase(reference, expected, Rendered(agg["buckets"]));
    }

    [SkippableTheory]
    // Filter aggregation, Filters aggregation (named: sorted by name, other bucket; anonymous: an array)
    [InlineData("Filter aggregation, Filters aggregation (named: sorted by name, other bucket; anonymous: an array)", """{"filter":{"term":{"status":"failed"}}}""", "doc_count:1")]
    [InlineData("Filter aggregation, Filters aggregation (named: sorted by name, other bucket; anonymous: an array)", """{"filters":{"filters":{"red":{"term":{"labels":"red"}},"blue":{"term":{"labels":"blue"}}},"other_bucket":true}}""", "blue:2,red:2,_other_:2")]
    [InlineData("Filter aggregation, Filters aggregation (named: sorted by name, other bucket; anonymous: an array)", """{"filters":{"filters":{"red":{"term":{"labels":"red"}}},"other_bucket_key":"rest"}}""", "red:2,rest:3")]
    [InlineData("Filter aggregation, Filters aggregation (named: sorted by name, other bucket; anonymous: an array)", """{"filters":{"filters":[{"term":{"labels":"red"}},{"match_all":{}}]}}""", ":2,:5")]
    // Terms aggregation: a flattened root, a numeric field with missing, min_doc_count 0 within a query
    [InlineData("Terms aggregation > Missing value, Field data types > Flattened: a flattened root, a numeric field with missing, min_doc_count 0 within a query", """{"terms":{"field":"inputs"}}""", "C1:2,10:1,20:1,3:1,C2:1,north:1,true:1")]
    [InlineData("Terms aggregation > Missing value, Field data types > Flattened: a flattened root, a numeric field with missing, min_doc_count 0 within a query", """{"terms":{"field":"progress","missing":0}}""", "0:3,40:1,100:1")]
    [InlineData("Terms aggregation > Missing value, Field data types > Flattened: a flattened root, a numeric field with missing, min_doc_count 0 within a query", """{"terms":{"field":"duration"}}""", "30.0:1,60.0:1")]
    public async Task Bucket_aggregations_count_the_expected_documents(string reference, string aggregation, string expected)
    {
        var (store, _) = await CorpusAsync();

        var agg = await AggregateAsync(store, aggregation);

        var rendered = agg["buckets"] is { } buckets
            ? Rendered(buckets)
            : $"doc_count:{agg["doc_count"]!.GetValue<long>()}";
        AssertCase(reference, expected.Replace(".0:", ":", StringComparison.Ordinal), rendered.Replace(".0:", ":", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Terms_with_min_doc_count_zero_lists_values_no_matching_job_has()
    {
        // Terms aggregation > Minimum document count: 0 returns every value of the field.
        var (store, _) = await CorpusAsync();

        var agg = await AggregateAsync(store, """{"terms":{"field":"process-id","min_doc_count":0}}""", """{"term":{"user-id":"bob"}}""");

        Assert.Equal("l1b-cwl:2,l2-cwl:0", Rendered(agg["buckets"]));
    }

    [SkippableFact]
    public async Task Sub_aggregations_run_in_each_bucket_to_any_depth()
    {
        // Aggregations > Sub-aggregations: terms > date_histogram > stats.
        var (store, _) = await CorpusAsync();

        var agg = await AggregateAsync(store, """
            {"terms":{"field":"process-id"},"aggs":{"per_month":{"date_histogram":{"field":"created","calendar_interval":"month"},
              "aggs":{"progress":{"stats":{"field":"progress"}},"labels":{"terms":{"field":"labels"}}}}}}
            """);

        var buckets = agg["buckets"]!.AsArray();
        Assert.Equal("l1b-cwl:3,l2-cwl:2", Rendered(buckets));
        var l1b = buckets[0]!["per_month"]!["buckets"]![0]!;
        Assert.Equal(3, l1b["doc_count"]!.GetValue<long>());
        Assert.Equal(1, l1b["progress"]!["count"]!.GetValue<long>());
        Assert.Equal(40, l1b["progress"]!["max"]!.GetValue<double>());
        Assert.Equal("blue:2,red:2", Rendered(l1b["labels"]!["buckets"]));
        var l2 = buckets[1]!["per_month"]!["buckets"]![0]!;
        Assert.Equal(100, l2["progress"]!["avg"]!.GetValue<double>());
        Assert.Equal("green:1", Rendered(l2["labels"]!["buckets"]));
    }

    [SkippableFact]
    public async Task Date_histogram_sub_aggregations_see_only_their_day_and_empty_days_are_empty()
    {
        var (store, _) = await CorpusAsync();

        var agg = await AggregateAsync(store, """{"date_histogram":{"field":"created","calendar_interval":"day","format":"yyyy-MM-dd"},"aggs":{"l":{"terms":{"field":"labels"}},"n":{"value_count":{"field":"labels"}}}}""");

        var days = agg["buckets"]!.AsArray();
        Assert.Equal(["red:2,blue:1", "green:1", "", "blue:1"], days.Select(d => Rendered(d!["l"]!["buckets"])));
        Assert.Equal([3L, 1L, 0L, 1L], days.Select(d => d!["n"]!["value"]!.GetValue<long>()));
    }

    [SkippableTheory]
    // Terms aggregation > Order: by a single-value metric sub-aggregation, by a stats member, by a filter's doc count
    [InlineData("Terms aggregation > Order: by a single-value metric sub-aggregation, by a stats member, by a filter's doc count", """{"field":"process-id","order":{"avg_progress":"desc"}}""", "l2-cwl:2,l1b-cwl:3")]
    [InlineData("Terms aggregation > Order: by a single-value metric sub-aggregation, by a stats member, by a filter's doc count", """{"field":"process-id","order":{"avg_progress":"asc"}}""", "l1b-cwl:3,l2-cwl:2")]
    [InlineData("Terms aggregation > Order: by a single-value metric sub-aggregation, by a stats member, by a filter's doc count", """{"field":"process-id","order":{"created_stats.min":"desc"}}""", "l2-cwl:2,l1b-cwl:3")]
    [InlineData("Terms aggregation > Order: by a single-value metric sub-aggregation, by a stats member, by a filter's doc count", """{"field":"user-id","order":[{"red":"desc"},{"_key":"desc"}]}""", "bob:2,alice:2,carol:1")]
    public async Task Terms_order_by_sub_aggregations(string reference, string terms, string expected)
    {
        var (store, _) = await CorpusAsync();

        var agg = await AggregateAsync(store, "{\"terms\":" + terms + ""","aggs":{"avg_progress":{"avg":{"field":"progress"}},"created_stats":{"stats":{"field":"created"}},"red":{"filter":{"term":{"labels":"red"}}}}}""");

        AssertCase(reference, expected, Rendered(agg["buckets"]));
    }
}
