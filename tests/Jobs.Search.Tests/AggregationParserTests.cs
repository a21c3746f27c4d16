using Jobs.Core.Search;
using Jobs.Search.Aggregations;
using Jobs.Search.Queries;
using static Jobs.Search.Tests.Parse;

namespace Jobs.Search.Tests;

/// <summary><c>aggs</c> in, aggregation specs or Elasticsearch's error out.</summary>
public class AggregationParserTests
{
    private static AggregationSpec Agg(string aggs) => Assert.Single(Request($$"""{"aggs":{{aggs}}}""").Aggregations);

    private static SearchException AggError(string aggs) => SearchError($$"""{"aggs":{{aggs}}}""");

    [Fact]
    public void Terms_has_elasticsearchs_defaults()
    {
        var terms = Assert.IsType<TermsSpec>(Agg("""{"by_status":{"terms":{"field":"status"}}}"""));

        Assert.Equal(("by_status", "status", 10, (int?)null, 1L), (terms.Name, terms.Field, terms.Size, terms.ShardSize, terms.MinDocCount));
        Assert.Equal([new BucketOrder("_count", true), new BucketOrder("_key", false)], terms.Order);
        Assert.Null(terms.Missing);
    }

    [Fact]
    public void Terms_reads_size_order_min_doc_count_missing_and_ignores_collection_hints()
    {
        var terms = Assert.IsType<TermsSpec>(Agg("""
            {"t":{"terms":{"field":"labels","size":3,"shard_size":30,"order":[{"_key":"desc"}],"min_doc_count":0,"missing":"none","execution_hint":"map","collect_mode":"breadth_first"}}}
            """));

        Assert.Equal((3, (int?)30, 0L, "\"none\""), (terms.Size, terms.ShardSize, terms.MinDocCount, Text(terms.Missing)));
        Assert.Equal([new BucketOrder("_key", true)], terms.Order);
    }

    [Fact]
    public void A_bucket_order_by_a_metric_is_broken_by_key()
    {
        var terms = Assert.IsType<TermsSpec>(Agg("""{"t":{"terms":{"field":"status","order":{"stats.max":"desc"}},"aggs":{"stats":{"stats":{"field":"progress"}}}}}"""));

        Assert.Equal([new BucketOrder("stats.max", true), new BucketOrder("_key", false)], terms.Order);
        Assert.False(terms.Order[0].ByCount || terms.Order[0].ByKey);
        Assert.Equal("stats", Assert.Single(terms.SubAggregations).Name);
    }

    [Theory]
    [InlineData("""{"t":{"terms":{}}}""", "illegal_argument_exception", "Required one of fields [field, script], but none were specified. (aggregation [t])")]
    [InlineData("""{"t":{"terms":{"field":"a","size":0}}}""", "illegal_argument_exception", "[size] must be greater than 0. Found [0] in [t]")]
    [InlineData("""{"t":{"terms":{"field":"a","min_doc_count":-1}}}""", "illegal_argument_exception", "[min_doc_count] must be greater than or equal to 0. Found [-1] in [t]")]
    [InlineData("""{"t":{"terms":{"field":"a","order":{"_count":"up"}}}}""", "parsing_exception", "Unknown order direction [up]")]
    [InlineData("""{"t":{"terms":{"field":"a","order":"_count"}}}""", "parsing_exception", "[terms] order must be an object or an array of objects")]
    [InlineData("""{"t":{"terms":{"field":"a","colour":"red"}}}""", "parsing_exception", "[terms] unknown field [colour]")]
    [InlineData("""{"t":{"terms":{"field":"a"},"max":{"field":"b"}}}""", "parsing_exception", "Found two aggregation type definitions in [t]: [terms] and [max]")]
    [InlineData("""{"t":{"meta":{}}}""", "parsing_exception", "Missing definition for aggregation [t]")]
    [InlineData("""{"t":[]}""", "parsing_exception", "Expected [START_OBJECT] under [t], but got a [START_ARRAY] in [t]")]
    [InlineData("""{"t":{"terms":"status"}}""", "parsing_exception", "Expected [START_OBJECT] under [terms], but got a [VALUE_STRING] in [t]")]
    [InlineData("""{"t":{"tems":{"field":"a"}}}""", "parsing_exception", "Unknown aggregation type [tems] did you mean [terms]?")]
    [InlineData("""{"m":{"max":{"field":"a"},"aggs":{"x":{"min":{"field":"b"}}}}}""", "aggregation_initialization_exception", "Aggregator [m] of type [max] cannot accept sub-aggregations")]
    [InlineData("""{"m":{"avg":{}}}""", "illegal_argument_exception", "Required one of fields [field, script], but none were specified. (aggregation [m])")]
    [InlineData("""{"m":{"avg":{"field":"a","sigma":2}}}""", "parsing_exception", "[avg] unknown field [sigma]")]
    public void Malformed_aggregations_get_elasticsearchs_error(string aggs, string type, string reason)
    {
        var e = AggError(aggs);
        Assert.Equal((type, reason), (e.Type, e.Reason));
    }

    [Fact]
    public void Aggs_must_be_an_object()
    {
        Assert.Equal("[aggs] must be an object", SearchError("""{"aggs":[]}""").Reason);
        Assert.Empty(Request("""{"aggregations":null}""").Aggregations);
    }

    [Fact]
    public void Date_histogram_reads_calendar_and_fixed_intervals_offset_zone_bounds_and_keys()
    {
        var calendar = Assert.IsType<DateHistogramSpec>(Agg("""
            {"per_day":{"date_histogram":{"field":"created","calendar_interval":"day","offset":"+6h","time_zone":"+01:00","format":"yyyy-MM-dd",
             "min_doc_count":1,"extended_bounds":{"min":"now-7d/d","max":"now/d"},"keyed":true,"missing":"2026-01-01"}}}
            """));
        Assert.Equal(('d', 0L, 6 * 3_600_000L, "yyyy-MM-dd", 1L, true), (calendar.CalendarUnit, calendar.FixedMillis, calendar.Offset, calendar.Format, calendar.MinDocCount, calendar.Keyed));
        Assert.Equal(TimeSpan.FromHours(1), calendar.TimeZone.BaseUtcOffset);
        Assert.Equal(("\"now-7d/d\"", "\"now/d\""), (Text(calendar.ExtendedMin), Text(calendar.ExtendedMax)));

        var fixedInterval = Assert.IsType<DateHistogramSpec>(Agg("""{"h":{"date_histogram":{"field":"created","fixed_interval":"90m","offset":-1000}}}"""));
        Assert.Equal(((char?)null, 90 * 60_000L, -1000L, 0L), (fixedInterval.CalendarUnit, fixedInterval.FixedMillis, fixedInterval.Offset, fixedInterval.MinDocCount));
        Assert.Equal([new BucketOrder("_key", false)], fixedInterval.Order);
    }

    [Theory]
    [InlineData("1M", 'M')]
    [InlineData("quarter", 'q')]
    [InlineData("1y", 'y')]
    [InlineData("week", 'w')]
    [InlineData("1h", 'h')]
    [InlineData("minute", 'm')]
    public void Calendar_intervals_are_one_unit(string interval, char unit)
    {
        Assert.Equal(unit, Assert.IsType<DateHistogramSpec>(Agg("""{"h":{"date_histogram":{"field":"created","calendar_interval":""" + $"\"{interval}\"" + "}}}")).CalendarUnit);
    }

    [Theory]
    [InlineData("""{"calendar_interval":"2d"}""", "x_content_parse_exception", "[date_histogram] failed to parse field [calendar_interval]: The supplied interval [2d] could not be parsed as a calendar interval.")]
    [InlineData("""{"fixed_interval":"1M"}""", "x_content_parse_exception", "[date_histogram] failed to parse field [fixed_interval]: failed to parse setting [date_histogram.fixedInterval] with value [1M] as a time value: unit is missing or unrecognized")]
    [InlineData("""{"interval":"1d"}""", "x_content_parse_exception", "[date_histogram] unknown field [interval]: use [calendar_interval] or [fixed_interval]")]
    [InlineData("""{"calendar_interval":"1d","fixed_interval":"1h"}""", "illegal_argument_exception", "Cannot use [fixed_interval] with [calendar_interval] configuration option.")]
    [InlineData("""{}""", "illegal_argument_exception", "Invalid interval specified, must be non-null and non-empty")]
    [InlineData("""{"calendar_interval":"1d","offset":"6 hours"}""", "illegal_argument_exception", "failed to parse setting [date_histogram.offset] with value [6 hours] as a time value: unit is missing or unrecognized")]
    [InlineData("""{"calendar_interval":"1d","time_zone":"Nowhere/Land"}""", "illegal_argument_exception", "Unknown time-zone ID: Nowhere/Land")]
    [InlineData("""{"calendar_interval":"1d","extended_bounds":"now"}""", "parsing_exception", "[extended_bounds] must be an object with [min] and [max]")]
    public void Malformed_date_histograms_get_elasticsearchs_error(string options, string type, string reason)
    {
        var body = Body(options);
        if (!body.ContainsKey("field"))
        {
            body["field"] = "created";
        }

        var e = AggError("""{"h":{"date_histogram":""" + body.ToJsonString() + "}}");
        Assert.Equal((type, reason), (e.Type, e.Reason));
    }

    [Fact]
    public void Filter_and_filters_hold_parsed_queries()
    {
        var filter = Assert.IsType<FilterSpec>(Agg("""{"failed":{"filter":{"term":{"status":"failed"}},"aggs":{"n":{"value_count":{"field":"id"}}}}}"""));
        Assert.Equal("status", Assert.IsType<TermNode>(filter.Filter).Field);
        Assert.IsType<MetricSpec>(Assert.Single(filter.SubAggregations));

        var named = Assert.IsType<FiltersSpec>(Agg("""{"f":{"filters":{"filters":{"z":{"term":{"a":"1"}},"a":{"match_all":{}}},"other_bucket_key":"rest"}}}"""));
        Assert.Equal(["a", "z"], named.Filters.Select(f => f.Key));
        Assert.Equal((true, true, "rest"), (named.Named, named.Keyed, named.OtherBucketKey));

        var anonymous = Assert.IsType<FiltersSpec>(Agg("""{"f":{"filters":{"filters":[{"term":{"a":"1"}},{"term":{"a":"2"}}],"other_bucket":true}}}"""));
        Assert.Equal(["0", "1"], anonymous.Filters.Select(f => f.Key));
        Assert.Equal((false, false, "_other_"), (anonymous.Named, anonymous.Keyed, anonymous.OtherBucketKey));
    }

    [Theory]
    [InlineData("value_count")]
    [InlineData("cardinality")]
    [InlineData("min")]
    [InlineData("max")]
    [InlineData("avg")]
    [InlineData("sum")]
    [InlineData("stats")]
    public void Metrics_name_their_type_field_missing_and_format(string type)
    {
        var metric = Assert.IsType<MetricSpec>(Agg($"{{\"m\":{{\"{type}\":" + """{"field":"progress","missing":0,"format":"0.0"}}}"""));

        Assert.Equal((type, "progress", "0", "0.0"), (metric.Type, metric.Field, Text(metric.Missing), metric.Format));
    }

    [Fact]
    public void Meta_and_sub_aggregations_nest_to_any_depth()
    {
        var outer = Assert.IsType<TermsSpec>(Agg("""
            {"a":{"meta":{"colour":"red"},"terms":{"field":"status"},"aggs":{"b":{"date_histogram":{"field":"created","calendar_interval":"1d"},"aggregations":{"c":{"max":{"field":"progress"}}}}}}}
            """));

        Assert.Equal("""{"colour":"red"}""", Text(outer.Meta));
        var middle = Assert.IsType<DateHistogramSpec>(Assert.Single(outer.SubAggregations));
        Assert.Equal("max", Assert.IsType<MetricSpec>(Assert.Single(middle.SubAggregations)).Type);
    }

    [Theory]
    [InlineData("""{"p":{"percentiles":{"field":"progress"}}}""", "percentiles", "percentiles aggregation")]
    [InlineData("""{"h":{"histogram":{"field":"progress","interval":10}}}""", "histogram", "histogram aggregation")]
    [InlineData("""{"t":{"terms":{"field":"labels","include":"l.*"}}}""", "terms", "terms.include")]
    [InlineData("""{"t":{"terms":{"field":"labels","show_term_doc_count_error":true}}}""", "terms", "terms.show_term_doc_count_error")]
    [InlineData("""{"h":{"date_histogram":{"field":"created","calendar_interval":"1d","hard_bounds":{"min":0}}}}""", "date_histogram", "date_histogram.hard_bounds")]
    [InlineData("""{"c":{"composite":{"sources":[{"s":{"terms":{"field":"status"}}}]}}}""", "composite", "composite aggregation")]
    public void Valid_aggregations_no_builder_runs_are_opaque_with_their_body(string aggs, string type, string construct)
    {
        var opaque = Assert.IsType<OpaqueAggregationSpec>(Agg(aggs));

        Assert.Equal((type, construct), (opaque.Type, opaque.Construct));
        Assert.Equal(Text(Body(aggs).First().Value![type]), Text(opaque.Body));
    }

    [Theory]
    [InlineData("""{"s":{"scripted_metric":{"map_script":"1"}}}""", "scripted_metric")]
    [InlineData("""{"s":{"bucket_script":{"buckets_path":{},"script":"1"}}}""", "bucket_script")]
    [InlineData("""{"s":{"bucket_selector":{"buckets_path":{},"script":"1"}}}""", "bucket_selector")]
    [InlineData("""{"s":{"terms":{"script":{"source":"doc['a']"}}}}""", "terms")]
    [InlineData("""{"s":{"avg":{"script":"1"}}}""", "avg")]
    [InlineData("""{"s":{"percentiles":{"script":"1"}}}""", "percentiles")]
    public void Script_aggregations_are_their_own_spec(string aggs, string type)
    {
        Assert.Equal(type, Assert.IsType<ScriptAggregationSpec>(Agg(aggs)).Type);
    }

    [Fact]
    public void Global_is_its_own_spec()
    {
        Assert.IsType<GlobalSpec>(Agg("""{"all":{"global":{},"aggs":{"n":{"value_count":{"field":"id"}}}}}"""));
    }

    [Fact]
    public void Global_takes_no_parameters()
    {
        var e = AggError("""{"all":{"global":{"script":{"source":"1"}}}}""");

        Assert.Equal(("parsing_exception", "[global] unknown field [script]"), (e.Type, e.Reason));
    }

    [Theory]
    [InlineData("aggs_by_script")]
    [InlineData("script")]
    [InlineData("global")]
    [InlineData("aggs")]
    public void An_aggregation_name_is_only_a_name(string name)
    {
        var terms = Assert.IsType<TermsSpec>(Agg($"{{\"{name}\":" + """{"terms":{"field":"inputs.script"}}}"""));

        Assert.Equal((name, "inputs.script"), (terms.Name, terms.Field));
    }
}
