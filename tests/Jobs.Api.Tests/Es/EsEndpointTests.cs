using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests.Es;

/// <summary>The <c>/es</c> endpoint over HTTP, request by request, as the clients and Elasticvue send them.</summary>
public class EsEndpointTests(EsHost host) : IClassFixture<EsHost>
{
    private readonly HttpClient _client = host.Client();

    [Fact]
    public async Task Cluster_info_names_a_stable_cluster_with_a_9x_version()
    {
        var first = await _client.GetJsonAsync("/es/");
        var again = await _client.GetJsonAsync("/es");

        Assert.Equal("jobs", first["cluster_name"]!.GetValue<string>());
        Assert.Equal(22, first["cluster_uuid"]!.GetValue<string>().Length);
        Assert.Equal(first["cluster_uuid"]!.GetValue<string>(), again["cluster_uuid"]!.GetValue<string>());
        Assert.StartsWith("9.", first["version"]!["number"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("default", first["version"]!["build_flavor"]!.GetValue<string>());
        Assert.Equal("You Know, for Search", first["tagline"]!.GetValue<string>());

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/es/"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("Elasticsearch", head.Headers.GetValues("X-Elastic-Product").Single());
    }

    [Theory]
    [InlineData("GET", "/es/_cluster/health")]
    [InlineData("GET", "/es/nothing/_search")]
    [InlineData("PUT", "/es/jobs/_doc/1")]
    [InlineData("GET", "/es/_nodes")]
    [InlineData("POST", "/es/jobs/_search?size=x")]
    public async Task Every_answer_carries_the_product_header_errors_too(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = ApiCalls.Json("{}") });

        Assert.Equal("Elasticsearch", response.Headers.GetValues("X-Elastic-Product").Single());
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preflight_is_answered_with_a_max_age_and_the_product_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/es/jobs/_search");
        request.Headers.Add("Origin", "http://127.0.0.1:5281");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("600", response.Headers.GetValues("Access-Control-Max-Age").Single());
        Assert.Contains("authorization", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Elasticsearch", response.Headers.GetValues("X-Elastic-Product").Single());
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Compressed_request_bodies_are_read(string encoding)
    {
        var json = Encoding.UTF8.GetBytes("""{"query":{"term":{"labels":"odd"}}}""");
        using var buffer = new MemoryStream();
        await using (Stream zip = encoding == "gzip" ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            await zip.WriteAsync(json);
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add(encoding);
        using var response = await _client.PostAsync("/es/jobs/_count", content);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_body_that_does_not_decompress_is_a_400_elasticsearch_error()
    {
        var content = new ByteArrayContent("not gzip at all"u8.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await _client.PostAsync("/es/_search", content);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("x_content_parse_exception", body["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cluster_health_is_green_while_the_store_serves()
    {
        var health = await _client.GetJsonAsync("/es/_cluster/health");

        Assert.Equal("green", health["status"]!.GetValue<string>());
        Assert.Equal(1, health["active_primary_shards"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cat_indices_answers_json_to_an_accept_header_with_the_columns_asked()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/es/_cat/indices/?h=index,health,status,uuid,pri,rep,docs.count,store.size,sc,cd&bytes=b&expand_wildcards=all");
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _client.SendAsync(request);

        var rows = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        var row = Assert.Single(rows)!.AsObject();
        Assert.Equal(["index", "health", "status", "uuid", "pri", "rep", "docs.count", "store.size", "sc", "cd"], row.Select(p => p.Key));
        Assert.Equal("jobs", row["index"]!.GetValue<string>());
        Assert.Equal("5", row["docs.count"]!.GetValue<string>());
        Assert.Equal("green", row["health"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cat_indices_answers_aligned_text_without_json_asked()
    {
        var text = await _client.GetStringAsync("/es/_cat/indices?v&h=index,dc");

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["index dc", "jobs  5"], lines.Select(l => l.TrimEnd()));
    }

    [Theory]
    [InlineData("/es/_cat/indices?format=json&health=yellow")]
    [InlineData("/es/_cat/indices/other*?format=json")]
    [InlineData("/es/_cat/indices?format=json&index=zz*")]
    [InlineData("/es/_cat/indices/*?format=json&expand_wildcards=closed")]
    public async Task Cat_indices_filters_by_health_pattern_and_expand_wildcards(string path)
    {
        var rows = await _client.GetJsonAsync(path);

        Assert.Empty(rows.AsArray());
    }

    [Fact]
    public async Task The_index_reports_aliases_mappings_and_settings()
    {
        var index = await _client.GetJsonAsync("/es/jobs");
        var aliases = await _client.GetJsonAsync("/es/jobs/_alias");
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/es/jobs"));
        var (missing, error) = await _client.SendAsync(HttpMethod.Get, "/es/other");

        Assert.Equal("keyword", index["jobs"]!["mappings"]!["properties"]!["status"]!["type"]!.GetValue<string>());
        Assert.Equal("1", index["jobs"]!["settings"]!["index"]!["number_of_shards"]!.GetValue<string>());
        Assert.Empty(index["jobs"]!["aliases"]!.AsObject());
        Assert.Empty(aliases["jobs"]!["aliases"]!.AsObject());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(404, missing);
        Assert.Equal("index_not_found_exception", error!["error"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/es/_search")]
    [InlineData("/es/jobs/_search")]
    [InlineData("/es/*/_search")]
    [InlineData("/es/_all/_search")]
    [InlineData("/es/jobs*/_search")]
    [InlineData("/es/jobs,other*/_search")]
    public async Task Search_reaches_the_jobs_on_every_index_expression(string path)
    {
        var (status, body) = await _client.SendAsync(HttpMethod.Post, path, """{"query":{"query_string":{"query":"*","fields":["*","*.*"]}},"size":10,"from":0,"sort":[]}""");

        Assert.Equal(200, status);
        Assert.Equal(5, body!["hits"]!["total"]!["value"]!.GetValue<int>());
        Assert.All(body["hits"]!["hits"]!.AsArray(), hit => Assert.Equal("jobs", hit!["_index"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_wildcard_matching_nothing_is_empty_and_an_unknown_index_is_404()
    {
        var (emptyStatus, empty) = await _client.SendAsync(HttpMethod.Post, "/es/zz*/_search", "{}");
        var (missingStatus, _) = await _client.SendAsync(HttpMethod.Post, "/es/zz/_search", "{}");
        var (ignoredStatus, _) = await _client.SendAsync(HttpMethod.Post, "/es/zz/_search?ignore_unavailable=true", "{}");

        Assert.Equal(200, emptyStatus);
        Assert.Equal(0, empty!["hits"]!["total"]!["value"]!.GetValue<int>());
        Assert.Equal(404, missingStatus);
        Assert.Equal(200, ignoredStatus);
    }

    [Theory]
    [InlineData("/es/_count", 5)]
    [InlineData("/es/jobs/_count?q=labels:even", 3)]
    [InlineData("/es/*/_count", 5)]
    [InlineData("/es/zz*/_count", 0)]
    public async Task Count_on_index_expressions(string path, int expected)
    {
        var count = await _client.GetJsonAsync(path);

        Assert.Equal(expected, count["count"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ApiKey not-a-configured-key")]
    public async Task Without_valid_credentials_every_es_route_is_401_with_a_challenge(string? authorization)
    {
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        foreach (var path in (string[])["/es/", "/es/jobs/_search", "/es/_count", "/es/_cat/indices", "/es/jobs/_mapping", $"/es/jobs/_doc/{host.IdsOf("alice")[0]}"])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await client.SendAsync(request);

            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.NotEmpty(response.Headers.WwwAuthenticate);
        }
    }

    [Fact]
    public async Task Every_read_is_scoped_to_the_caller_as_on_jobs_search()
    {
        using var alice = host.Client("alice");
        var bobsJob = host.IdsOf("bob")[0];

        var search = await alice.SearchJsonAsync("/es/*/_search", "{}");
        var count = await alice.GetJsonAsync("/es/_count");
        var (docStatus, doc) = await alice.SendAsync(HttpMethod.Get, $"/es/jobs/_doc/{bobsJob}");
        var mget = await alice.SearchJsonAsync("/es/jobs/_mget", $$"""{"ids":["{{bobsJob}}","{{host.IdsOf("alice")[0]}}"]}""");
        var cat = await alice.GetJsonAsync("/es/_cat/indices?format=json&h=docs.count");

        Assert.Equal(host.IdsOf("alice").Order(), ApiCalls.HitIds(search).Order());
        Assert.Equal(3, count["count"]!.GetValue<int>());
        Assert.Equal(404, docStatus);
        Assert.False(doc!["found"]!.GetValue<bool>());
        Assert.Equal([false, true], mget["docs"]!.AsArray().Select(d => d!["found"]!.GetValue<bool>()));
        Assert.Equal("3", cat[0]!["docs.count"]!.GetValue<string>());
    }

    [Fact]
    public async Task Documents_are_read_with_get_and_head()
    {
        var id = host.IdsOf("alice")[0];

        var doc = await _client.GetJsonAsync($"/es/jobs/_doc/{id}");
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/es/jobs/_doc/{id}"));
        using var headMissing = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/es/jobs/_doc/no-such-job"));

        Assert.True(doc["found"]!.GetValue<bool>());
        Assert.Equal(id, doc["_source"]!["id"]!.GetValue<string>());
        Assert.Null(doc["_source"]!["token-sha256"]);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, headMissing.StatusCode);
    }

    [Fact]
    public async Task Mget_reads_docs_by_index_and_id_without_an_index_in_the_path()
    {
        var id = host.IdsOf("bob")[0];

        var mget = await _client.SearchJsonAsync("/es/_mget", $$"""{"docs":[{"_index":"jobs","_id":"{{id}}"},{"_index":"other","_id":"x"},{"_index":"jobs","_id":"none"}]}""");

        var docs = mget["docs"]!.AsArray();
        Assert.Equal(id, docs[0]!["_source"]!["id"]!.GetValue<string>());
        Assert.Equal("index_not_found_exception", docs[1]!["error"]!["type"]!.GetValue<string>());
        Assert.False(docs[2]!["found"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Typed_keys_names_each_aggregation_by_its_elasticsearch_type_nested_too()
    {
        const string Aggs = """
            {"size":0,"aggs":{
              "by_status":{"terms":{"field":"status"},"aggs":{"users":{"cardinality":{"field":"user-id"}},"last":{"max":{"field":"created"}}}},
              "by_progress":{"terms":{"field":"progress"}},
              "by_duration":{"terms":{"field":"duration"}},
              "by_day":{"date_histogram":{"field":"created","calendar_interval":"day"},"aggs":{"p":{"stats":{"field":"progress"}}}},
              "evens":{"filter":{"term":{"labels":"even"}},"aggs":{"first":{"min":{"field":"created"}},"mean":{"avg":{"field":"progress"}}}},
              "groups":{"filters":{"filters":{"even":{"term":{"labels":"even"}}}},"aggs":{"n":{"value_count":{"field":"id"}}}},
              "total":{"sum":{"field":"progress"}}}}
            """;

        var typed = await _client.SearchJsonAsync("/es/jobs/_search?typed_keys=true", Aggs);
        var plain = await _client.SearchJsonAsync("/es/jobs/_search", Aggs);

        var aggs = typed["aggregations"]!.AsObject();
        Assert.Equal(
            ["date_histogram#by_day", "dterms#by_duration", "filter#evens", "filters#groups", "lterms#by_progress", "sterms#by_status", "sum#total"],
            aggs.Select(p => p.Key).Order(StringComparer.Ordinal));
        var status = aggs["sterms#by_status"]!["buckets"]![0]!.AsObject();
        Assert.NotNull(status["cardinality#users"]);
        Assert.NotNull(status["max#last"]);
        Assert.NotNull(aggs["date_histogram#by_day"]!["buckets"]![0]!["stats#p"]);
        Assert.NotNull(aggs["filter#evens"]!["min#first"]);
        Assert.Equal(40, aggs["filter#evens"]!["avg#mean"]!["value"]!.GetValue<double>());
        Assert.NotNull(aggs["filters#groups"]!["buckets"]!["even"]!["value_count#n"]);
        Assert.NotNull(plain["aggregations"]!["by_status"]);
    }

    [Fact]
    public async Task Filter_path_keeps_and_drops_what_it_names()
    {
        var kept = await _client.SearchJsonAsync("/es/jobs/_search?filter_path=hits.total.value,hits.hits._id", "{}");
        var dropped = await _client.SearchJsonAsync("/es/jobs/_search?size=1&filter_path=-hits.hits._source,-_shards,-took", "{}");
        var deep = await _client.GetJsonAsync("/es/jobs/_mapping?filter_path=**.status.type");

        Assert.Equal(["hits"], kept.AsObject().Select(p => p.Key));
        Assert.Equal(5, kept["hits"]!["total"]!["value"]!.GetValue<int>());
        Assert.All(kept["hits"]!["hits"]!.AsArray(), hit => Assert.Equal(["_id"], hit!.AsObject().Select(p => p.Key)));
        Assert.Null(dropped["_shards"]);
        Assert.Null(dropped["hits"]!["hits"]![0]!["_source"]);
        Assert.NotNull(dropped["hits"]!["hits"]![0]!["_id"]);
        Assert.Equal("""{"jobs":{"mappings":{"properties":{"status":{"type":"keyword"}}}}}""", deep.ToJsonString());
    }

    [Theory]
    [InlineData("PUT", "/es/jobs/_doc/x")]
    [InlineData("DELETE", "/es/jobs/_doc/x")]
    [InlineData("POST", "/es/jobs/_doc")]
    [InlineData("POST", "/es/_bulk")]
    [InlineData("POST", "/es/jobs/_update/x")]
    [InlineData("POST", "/es/jobs/_delete_by_query")]
    [InlineData("PUT", "/es/jobs")]
    [InlineData("DELETE", "/es/jobs")]
    [InlineData("PUT", "/es/jobs/_settings")]
    [InlineData("POST", "/es/jobs/_refresh")]
    public async Task Writes_are_refused_with_an_elasticsearch_error_naming_the_api(string method, string path)
    {
        var (status, body) = await _client.SendAsync(new HttpMethod(method), path, "{}");

        Assert.Equal(405, status);
        Assert.Equal("cluster_block_exception", body!["error"]!["type"]!.GetValue<string>());
        Assert.Contains("read-only", body["error"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("POST /jobs/{id}/updates", body["error"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(405, body["status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/es/_nodes")]
    [InlineData("/es/_tasks")]
    [InlineData("/es/_cat/shards")]
    [InlineData("/es/jobs/_stats")]
    public async Task Reads_not_served_say_so(string path)
    {
        var (status, body) = await _client.SendAsync(HttpMethod.Get, path);

        Assert.Equal(400, status);
        Assert.Contains("no handler found", body!["error"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scripts_are_refused_as_on_jobs_search()
    {
        var (status, body) = await _client.SendAsync(HttpMethod.Post, "/es/_search", """{"query":{"script":{"script":"true"}}}""");

        Assert.Equal(400, status);
        Assert.Equal("illegal_argument_exception", body!["error"]!["type"]!.GetValue<string>());
    }
}
