using System.Text.Json.Serialization;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Aggregations;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.QueryDsl;
using Elastic.Transport.Products.Elasticsearch;

namespace Jobs.Api.Tests.Es;

/// <summary>
/// The official .NET client, Elastic.Clients.Elasticsearch, against <c>/es</c> with its default
/// settings (request compression on, product check on, typed_keys on): what a user writes
/// following Elastic's documentation, with the base URL <c>http://host:5001/es</c>.
/// </summary>
public class OfficialDotnetClientTests(EsHost host) : IClassFixture<EsHost>
{
    private readonly ElasticsearchClient _client = new(new ElasticsearchClientSettings(host.EsUrl));

    /// <summary>The fields of a job these tests read, by their names in the index.</summary>
    public sealed record Job(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("labels")] string[] Labels,
        [property: JsonPropertyName("progress")] int? Progress,
        [property: JsonPropertyName("user-id")] string? UserId,
        [property: JsonPropertyName("created")] DateTimeOffset? Created);

    [Fact]
    public async Task Info_and_ping_accept_the_cluster()
    {
        var info = await _client.InfoAsync();
        var ping = await _client.PingAsync();

        Assert.True(info.IsValidResponse, info.DebugInformation);
        Assert.Equal("jobs", info.ClusterName);
        Assert.StartsWith("9.", info.Version.Number, StringComparison.Ordinal);
        Assert.True(ping.IsValidResponse, ping.DebugInformation);

    }

    [Fact]
    public async Task The_product_check_refuses_the_api_root_which_is_not_elasticsearch()
    {
        var root = new ElasticsearchClient(new ElasticsearchClientSettings(host.BaseUrl));

        var error = await Record.ExceptionAsync(() => root.InfoAsync());

        Assert.IsType<UnsupportedProductException>(error);
    }

    [Fact]
    public async Task Request_bodies_arrive_gzipped_as_the_client_sends_them_by_default()
    {
        var response = await _client.CountAsync<Job>(c => c.Indices("jobs").Query(q => q.MatchAll()));

        Assert.True(response.IsValidResponse, response.DebugInformation);
        Assert.Contains("POST /es/jobs/_count gzip", host.Requests);
    }

    [Fact]
    public async Task A_typed_search_with_term_bool_and_range_finds_the_jobs()
    {
        var response = await _client.SearchAsync<Job>(s => s
            .Indices("jobs")
            .Query(q => q.Bool(b => b
                .Must(m => m.Term(t => t.Field("labels").Value("even")))
                .Filter(f => f.Range(r => r.Number(n => n.Field("progress").Gte(40).Lte(60)))))));

        Assert.True(response.IsValidResponse, response.DebugInformation);
        var ids = response.Documents.Select(d => d.Id).Order().ToList();
        Assert.Equal(host.Jobs.Where((_, i) => i is 0 or 4).Select(j => j.Id).Order(), ids);
        Assert.All(response.Documents, d => Assert.Equal(40, d.Progress));
        Assert.Equal(2, response.Total);
    }

    [Fact]
    public async Task Terms_and_date_histogram_aggregations_are_read_through_the_typed_result()
    {
        var response = await _client.SearchAsync<Job>(s => s
            .Indices("jobs")
            .Size(0)
            .Aggregations(aggs => aggs
                .Add("by_status", a => a
                    .Terms(t => t.Field("status"))
                    .Aggregations(sub => sub.Add("users", u => u.Cardinality(c => c.Field("user-id")))))
                .Add("by_progress", a => a.Terms(t => t.Field("progress")))
                .Add("by_day", a => a.DateHistogram(d => d.Field("created").CalendarInterval(CalendarInterval.Day)))));

        Assert.True(response.IsValidResponse, response.DebugInformation);
        var status = response.Aggregations!.GetStringTerms("by_status")!.Buckets.ToDictionary(b => b.Key.ToString(), b => b.DocCount);
        Assert.Equal(new Dictionary<string, long> { ["running"] = 3, ["submitted"] = 2 }, status);
        var running = response.Aggregations.GetStringTerms("by_status")!.Buckets.Single(b => b.Key.ToString() == "running");
        Assert.Equal(2, running.Aggregations!.GetCardinality("users")!.Value);
        var progress = response.Aggregations.GetLongTerms("by_progress")!.Buckets.ToDictionary(b => b.Key, b => b.DocCount);
        Assert.Equal(new Dictionary<long, long> { [40] = 2, [80] = 1 }, progress);
        var days = response.Aggregations.GetDateHistogram("by_day")!.Buckets;
        Assert.Equal(5, days.Sum(b => b.DocCount));
    }

    [Fact]
    public async Task Count_get_and_exists_read_the_jobs()
    {
        var id = host.Jobs[1].Id;

        var count = await _client.CountAsync<Job>(c => c.Indices("jobs").Query(q => q.Term(t => t.Field("user-id").Value("bob"))));
        var get = await _client.GetAsync<Job>(id, g => g.Index("jobs"));
        var exists = await _client.ExistsAsync("jobs", id);
        var missing = await _client.ExistsAsync("jobs", "no-such-job");

        Assert.True(count.IsValidResponse, count.DebugInformation);
        Assert.Equal(2, count.Count);
        Assert.True(get.Found, get.DebugInformation);
        Assert.Equal(id, get.Source!.Id);
        Assert.Equal("alice", get.Source.UserId);
        Assert.True(exists.Exists);
        Assert.False(missing.Exists);
    }

    [Fact]
    public async Task The_mapping_is_read()
    {
        var mapping = await _client.Indices.GetMappingAsync(m => m.Indices("jobs"));

        Assert.True(mapping.IsValidResponse, mapping.DebugInformation);
        var properties = mapping.Mappings["jobs"].Mappings.Properties!;
        Assert.IsType<Elastic.Clients.Elasticsearch.Mapping.KeywordProperty>(properties["status"]);
        Assert.IsType<Elastic.Clients.Elasticsearch.Mapping.DateProperty>(properties["created"]);
    }

    [Fact]
    public async Task Search_after_pages_through_every_job_once()
    {
        var seen = new List<string>();
        ICollection<FieldValue>? after = null;
        for (var page = 0; page < 5; page++)
        {
            var response = await _client.SearchAsync<Job>(s =>
            {
                s.Indices("jobs").Size(2).Sort(o => o.Field("created", f => f.Order(SortOrder.Asc)), o => o.Field("id", f => f.Order(SortOrder.Asc)));
                if (after is not null)
                {
                    s.SearchAfter(after);
                }
            });
            Assert.True(response.IsValidResponse, response.DebugInformation);
            if (response.Hits.Count == 0)
            {
                break;
            }

            seen.AddRange(response.Hits.Select(h => h.Id!));
            after = response.Hits.Last().Sort!.ToList();
        }

        Assert.Equal(host.Jobs.Select(j => j.Id), seen);
    }

    [Fact]
    public async Task Source_filtering_returns_only_the_fields_asked()
    {
        var response = await _client.SearchAsync<Job>(s => s
            .Indices("jobs")
            .Source(new SourceConfig(new SourceFilter { Includes = Fields.FromStrings(["id", "status"]) })));

        Assert.True(response.IsValidResponse, response.DebugInformation);
        Assert.Equal(5, response.Documents.Count);
        Assert.All(response.Documents, d =>
        {
            Assert.NotNull(d.Id);
            Assert.Null(d.Labels);
            Assert.Null(d.UserId);
        });
    }

    [Fact]
    public async Task A_refused_construct_is_read_as_an_elasticsearch_server_error()
    {
        var response = await _client.SearchAsync<Job>(s => s
            .Indices("jobs")
            .Query(q => q.Script(sq => sq.Script(new Script { Source = "true" }))));

        Assert.False(response.IsValidResponse);
        Assert.True(response.TryGetElasticsearchServerError(out ElasticsearchServerError? error), response.DebugInformation);
        Assert.Equal(400, error!.Status);
        Assert.Equal("illegal_argument_exception", error.Error!.Type);
        Assert.Contains("script", error.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_is_refused_as_an_elasticsearch_server_error()
    {
        var response = await _client.IndexAsync(new Job("x", "running", [], null, null, null), i => i.Index("jobs").Id("x"));

        Assert.False(response.IsValidResponse);
        Assert.True(response.TryGetElasticsearchServerError(out ElasticsearchServerError? error), response.DebugInformation);
        Assert.Equal(405, error!.Status);
        Assert.Equal("cluster_block_exception", error.Error!.Type);
    }
}
