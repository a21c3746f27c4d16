using System.Text.Json.Nodes;
using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>
/// Aggregations > Metrics on the fixed corpus: progress 40 (job-2) and 100 (job-3), duration
/// 60 s (job-3) and 30 s (job-4), labels red+blue, red, green, blue (job-4 has none).
/// </summary>
public abstract partial class JobStoreConformance
{
    [SkippableTheory]
    // Value count (every value of an array counts), Cardinality (distinct values, a flattened key too)
    [InlineData("Metrics aggregations > Value count (every value of an array counts), Cardinality (distinct values, a flattened key too)", """{"value_count":{"field":"labels"}}""", "", 5.0)]
    [InlineData("Metrics aggregations > Value count (every value of an array counts), Cardinality (distinct values, a flattened key too)", """{"value_count":{"field":"progress"}}""", "", 2.0)]
    [InlineData("Metrics aggregations > Value count (every value of an array counts), Cardinality (distinct values, a flattened key too)", """{"value_count":{"field":"progress","missing":0}}""", "", 5.0)]
    [InlineData("Metrics aggregations > Value count (every value of an array counts), Cardinality (distinct values, a flattened key too)", """{"cardinality":{"field":"labels"}}""", "", 3.0)]
    [InlineData("Metrics aggregations > Value count (every value of an array counts), Cardinality (distinct values, a flattened key too)", """{"cardinality":{"field":"user-id"}}""", "", 3.0)]
    [InlineData("Metrics aggregations > Value count (every value of an array counts), Cardinality (distinct values, a flattened key too)", """{"cardinality":{"field":"inputs.collection"}}""", "", 2.0)]
    // Min, Max, Avg, Sum (and missing, which stands in for documents without a value)
    [InlineData("Metrics aggregations > Min, Max, Avg, Sum (and missing, which stands in for documents without a value)", """{"min":{"field":"progress"}}""", "", 40.0)]
    [InlineData("Metrics aggregations > Min, Max, Avg, Sum (and missing, which stands in for documents without a value)", """{"max":{"field":"duration"}}""", "", 60.0)]
    [InlineData("Metrics aggregations > Min, Max, Avg, Sum (and missing, which stands in for documents without a value)", """{"avg":{"field":"progress"}}""", "", 70.0)]
    [InlineData("Metrics aggregations > Min, Max, Avg, Sum (and missing, which stands in for documents without a value)", """{"sum":{"field":"duration"}}""", "", 90.0)]
    [InlineData("Metrics aggregations > Min, Max, Avg, Sum (and missing, which stands in for documents without a value)", """{"avg":{"field":"progress","missing":0}}""", "", 28.0)]
    [InlineData("Metrics aggregations > Min, Max, Avg, Sum (and missing, which stands in for documents without a value)", """{"min":{"field":"created"}}""", "", 1795341600000.0)]
    [InlineData("Metrics aggregations > Min, Max, Avg, Sum (and missing, which stands in for documents without a value)", """{"sum":{"field":"progress"}}""", """{"term":{"user-id":"carol"}}""", 0.0)]
    [InlineData("Metrics aggregations > Min, Max, Avg, Sum (and missing, which stands in for documents without a value)", """{"value_count":{"field":"no-such-field"}}""", "", 0.0)]
    public async Task Single_value_metrics_compute_the_expected_value(string reference, string aggregation, string query, double expected)
    {
        var (store, _) = await CorpusAsync();

        var agg = await AggregateAsync(store, aggregation, query.Length == 0 ? """{"match_all":{}}""" : query);

        AssertCase(reference, expected.ToString("R", System.Globalization.CultureInfo.InvariantCulture), agg["value"]!.GetValue<double>().ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public async Task Metrics_without_values_are_null_but_sum_and_count_are_zero()
    {
        // Metrics: min, max and avg of no value are null; sum is 0; stats has count 0.
        var (store, _) = await CorpusAsync();
        const string none = """{"term":{"user-id":"carol"}}""";

        Assert.Null((await AggregateAsync(store, """{"min":{"field":"progress"}}""", none))["value"]);
        Assert.Null((await AggregateAsync(store, """{"avg":{"field":"progress"}}""", none))["value"]);
        var stats = await AggregateAsync(store, """{"stats":{"field":"progress"}}""", none);
        Assert.Equal(0, stats["count"]!.GetValue<long>());
        Assert.Null(stats["min"]);
        Assert.Null(stats["max"]);
        Assert.Null(stats["avg"]);
        Assert.Equal(0.0, stats["sum"]!.GetValue<double>());
    }

    [SkippableFact]
    public async Task Stats_reports_count_min_max_avg_and_sum()
    {
        var (store, _) = await CorpusAsync();

        var stats = await AggregateAsync(store, """{"stats":{"field":"duration"}}""");

        Assert.Equal(2, stats["count"]!.GetValue<long>());
        Assert.Equal(30.0, stats["min"]!.GetValue<double>());
        Assert.Equal(60.0, stats["max"]!.GetValue<double>());
        Assert.Equal(45.0, stats["avg"]!.GetValue<double>());
        Assert.Equal(90.0, stats["sum"]!.GetValue<double>());
        Assert.Null(stats["min_as_string"]);
    }

    [SkippableFact]
    public async Task Date_metrics_also_come_as_strings()
    {
        // Min aggregation on a date field: value in epoch milliseconds and value_as_string in the field's format.
        var (store, _) = await CorpusAsync();

        var min = await AggregateAsync(store, """{"min":{"field":"created"}}""");
        var stats = await AggregateAsync(store, """{"stats":{"field":"created"}}""");

        Assert.Equal("2026-11-22T10:00:00.000Z", min["value_as_string"]!.GetValue<string>());
        Assert.Equal("2026-11-25T10:00:00.000Z", stats["max_as_string"]!.GetValue<string>());
        Assert.Equal(5, stats["count"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Aggregation_meta_is_returned_as_given()
    {
        var (store, _) = await CorpusAsync();

        var response = await store.Jobs.SearchAsync(Json("""{"size":0,"aggs":{"a":{"meta":{"chart":"bar"},"cardinality":{"field":"status"}}}}"""), None);

        Assert.Equal("bar", response["aggregations"]!["a"]!["meta"]!["chart"]!.GetValue<string>());
        Assert.Equal(5, response["aggregations"]!["a"]!["value"]!.GetValue<long>());
    }

    [SkippableTheory]
    // Sort search results > Missing values: _first, _last, or a value taking the place of the missing one
    [InlineData("Sort search results > Missing values: _first, _last, or a value taking the place of the missing one", """[{"progress":{"order":"asc","missing":50}},"id"]""", "job-2,job-1,job-4,job-5,job-3")]
    [InlineData("Sort search results > Missing values: _first, _last, or a value taking the place of the missing one", """[{"progress":{"order":"desc","missing":50}},"id"]""", "job-3,job-1,job-4,job-5,job-2")]
    [InlineData("Sort search results > Missing values: _first, _last, or a value taking the place of the missing one", """[{"stop-time":{"order":"desc","missing":"_first"}},"id"]""", "job-1,job-2,job-5,job-4,job-3")]
    [InlineData("Sort search results > Missing values: _first, _last, or a value taking the place of the missing one", """[{"stop-time":{"order":"asc","missing":"2026-11-24"}},"id"]""", "job-3,job-1,job-2,job-4,job-5")]
    [InlineData("Sort search results > Missing values: _first, _last, or a value taking the place of the missing one", """[{"process-id":"desc"},{"user-id":{"order":"asc","missing":"_first"}},{"created":"desc"}]""", "job-3,job-4,job-1,job-5,job-2")]
    [InlineData("Sort search results > Missing values: a keyword takes the missing value's place", """[{"labels":{"order":"asc","missing":"b"}},"id"]""", "job-4,job-1,job-5,job-3,job-2")]
    [InlineData("Field data types > Flattened: sorting on a key sorts by its values", """[{"inputs.collection":"asc"},"id"]""", "job-1,job-3,job-2,job-4,job-5")]
    [InlineData("Field data types > Flattened: sorting on a key, descending, missing last", """[{"inputs.collection":"desc"},"id"]""", "job-2,job-1,job-3,job-4,job-5")]
    public async Task Sort_on_several_fields_with_missing_values(string reference, string sort, string expected)
    {
        var (store, _) = await CorpusAsync();

        var response = await store.Jobs.SearchAsync(Json($$"""{"sort":{{sort}}}"""), None);

        AssertCase(reference, expected, string.Join(",", Ids(response)));
    }
}
