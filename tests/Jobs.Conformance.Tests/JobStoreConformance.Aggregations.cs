using System.Text.Json.Nodes;
using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>Aggregations > Bucket > Terms aggregation, on the fixed corpus.</summary>
public abstract partial class JobStoreConformance
{
    private static async Task<JsonObject> TermsAsync(IStoreUnderTest store, string terms, string query = """{"match_all":{}}""")
    {
        var response = await store.Jobs.SearchAsync(Json("{\"size\":0,\"query\":" + query + ",\"aggs\":{\"a\":{\"terms\":" + terms + "}}}"), None);
        return response["aggregations"]!["a"]!.AsObject();
    }

    private static string Buckets(JsonObject agg) =>
        string.Join(",", agg["buckets"]!.AsArray().Select(b => $"{b!["key"]!.ToJsonString().Trim('"')}:{b["doc_count"]!.GetValue<long>()}"));

    [SkippableTheory]
    // Default order: doc_count descending, ties by key ascending
    [InlineData("""{"field":"labels"}""", "blue:2,red:2,green:1")]
    [InlineData("""{"field":"process-id"}""", "l1b-cwl:3,l2-cwl:2")]
    // size, order by _key and _count, min_doc_count, missing
    [InlineData("""{"field":"labels","size":1}""", "blue:2")]
    [InlineData("""{"field":"labels","order":{"_key":"desc"}}""", "red:2,green:1,blue:2")]
    [InlineData("""{"field":"labels","order":{"_count":"asc"}}""", "green:1,blue:2,red:2")]
    [InlineData("""{"field":"labels","min_doc_count":2}""", "blue:2,red:2")]
    [InlineData("""{"field":"labels","missing":"(none)"}""", "blue:2,red:2,(none):1,green:1")]
    // Numeric keys; a flattened key path; an unmapped field has no buckets
    [InlineData("""{"field":"progress"}""", "40:1,100:1")]
    [InlineData("""{"field":"inputs.collection"}""", "C1:2,C2:1")]
    [InlineData("""{"field":"no-such-field"}""", "")]
    public async Task Terms_aggregation_counts_documents_per_value(string terms, string expected)
    {
        var (store, _) = await CorpusAsync();

        var agg = await TermsAsync(store, terms);

        Assert.Equal(expected, Buckets(agg));
        Assert.Equal(0, agg["doc_count_error_upper_bound"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Terms_aggregation_reports_the_documents_of_buckets_left_out()
    {
        var (store, _) = await CorpusAsync();

        var agg = await TermsAsync(store, """{"field":"labels","size":1}""");

        Assert.Equal(3, agg["sum_other_doc_count"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Terms_aggregation_counts_only_the_jobs_the_query_matches()
    {
        var (store, _) = await CorpusAsync();

        var agg = await TermsAsync(store, """{"field":"status"}""", """{"term":{"user-id":"bob"}}""");

        Assert.Equal("dismissed:1,running:1", Buckets(agg));
        Assert.Equal(0, agg["sum_other_doc_count"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Terms_aggregation_on_a_date_gives_epoch_keys_and_key_as_string()
    {
        var (store, _) = await CorpusAsync();

        var agg = await TermsAsync(store, """{"field":"created","order":{"_key":"asc"},"size":1}""");

        var bucket = agg["buckets"]![0]!;
        Assert.Equal(Millis(T0), bucket["key"]!.GetValue<long>());
        Assert.Equal("2026-11-22T10:00:00.000Z", bucket["key_as_string"]!.GetValue<string>());
        Assert.Equal(1, bucket["doc_count"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Search_with_aggregations_still_returns_hits_and_total()
    {
        var (store, _) = await CorpusAsync();

        var response = await store.Jobs.SearchAsync(Json("""{"query":{"term":{"labels":"red"}},"sort":["id"],"aggs":{"s":{"terms":{"field":"status"}},"u":{"terms":{"field":"user-id"}}}}"""), None);

        Assert.Equal(["job-1", "job-2"], Ids(response));
        Assert.Equal("running:1,submitted:1", Buckets(response["aggregations"]!["s"]!.AsObject()));
        Assert.Equal("alice:1,bob:1", Buckets(response["aggregations"]!["u"]!.AsObject()));
    }
}
