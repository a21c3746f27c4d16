using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Bootstrap;
using Jobs.Elasticsearch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobs.Elasticsearch.Tests.Bootstrap;

public sealed class IndexBootstrapperTests : IAsyncDisposable
{
    private readonly StoreHarness _harness = new(new Dictionary<string, string?> { ["MaxRetries"] = "0" });

    private EsServer Es => _harness.Es;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task On_an_empty_Elasticsearch_8_cluster_creates_each_versioned_index_behind_its_alias_with_flattened_maps()
    {
        Es.On("GET", "/", 200, EsAnswers.Elasticsearch8Info);
        StubMissing("jobs", "job-events", "processes");

        var cluster = await _harness.Bootstrapper.EnsureAsync(CancellationToken.None);

        Assert.Equal(new ClusterInfo(SearchEngine.Elasticsearch, "8.15.3"), cluster);
        Assert.Equal(
            ["GET /", "GET /jobs/_mapping", "PUT /jobs-000001", "GET /job-events/_mapping", "PUT /job-events-000001", "GET /processes/_mapping", "PUT /processes-000001"],
            Es.Requests.Select(r => r.Line));
        var createJobs = Es.Requests.Single(r => r.Line == "PUT /jobs-000001");
        Assert.Equal("application/json", createJobs.Header("Content-Type"));
        var expected = new JsonObject
        {
            ["settings"] = new JsonObject { ["number_of_shards"] = 1 },
            ["mappings"] = JobsMapping.Load(),
            ["aliases"] = new JsonObject { ["jobs"] = new JsonObject { ["is_write_index"] = true } },
        };
        Assert.Equal(expected.ToJsonString(), createJobs.Body);
        Assert.Contains("\"inputs\":{\"type\":\"flattened\"}", createJobs.Body);
        var createEvents = Es.Requests.Single(r => r.Line == "PUT /job-events-000001");
        Assert.Contains("\"aliases\":{\"job-events\":{\"is_write_index\":true}}", createEvents.Body);
        Assert.Contains("\"outputs\":{\"type\":\"flattened\"}", createEvents.Body);
    }

    [Fact]
    public async Task On_OpenSearch_2_installs_flat_object_for_inputs_and_outputs()
    {
        Es.On("GET", "/", 200, EsAnswers.OpenSearch2Info);
        StubMissing("jobs", "job-events", "processes");

        var cluster = await _harness.Bootstrapper.EnsureAsync(CancellationToken.None);

        Assert.Equal(new ClusterInfo(SearchEngine.OpenSearch, "2.17.1"), cluster);
        var mapping = JsonNode.Parse(Es.Requests.Single(r => r.Line == "PUT /jobs-000001").Body!)!["mappings"]!;
        Assert.Equal("flat_object", (string?)mapping["properties"]!["inputs"]!["type"]);
        Assert.Equal("flat_object", (string?)mapping["properties"]!["outputs"]!["type"]);
        Assert.Equal(EsAnswers.OpenSearchJobsMapping().ToJsonString(), mapping.ToJsonString());
        Assert.DoesNotContain("flattened", Es.Requests.Single(r => r.Line == "PUT /job-events-000001").Body);
    }

    [Fact]
    public async Task An_Amazon_domain_that_reports_version_7_10_is_still_recognised_as_OpenSearch()
    {
        Es.On("GET", "/", 200, EsAnswers.AmazonCompatibilityInfo);
        StubMissing("jobs", "job-events", "processes");

        var cluster = await _harness.Bootstrapper.EnsureAsync(CancellationToken.None);

        Assert.Equal(SearchEngine.OpenSearch, cluster.Engine);
        Assert.Contains("\"inputs\":{\"type\":\"flat_object\"}", Es.Requests.Single(r => r.Line == "PUT /jobs-000001").Body);
    }

    [Fact]
    public async Task Existing_compatible_indices_are_verified_and_nothing_is_created()
    {
        StoreHarness.StubCompatibleCluster(Es);

        await _harness.Bootstrapper.EnsureAsync(CancellationToken.None);

        Assert.Equal(
            ["GET /", "GET /jobs/_mapping", "GET /job-events/_mapping", "GET /processes/_mapping"],
            Es.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task Bootstrap_runs_once_however_many_operations_ask_for_it()
    {
        StoreHarness.StubCompatibleCluster(Es);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _harness.Bootstrapper.EnsureAsync(CancellationToken.None).AsTask()));
        await _harness.Bootstrapper.EnsureAsync(CancellationToken.None);

        Assert.Single(Es.Requests, r => r.Line == "GET /");
    }

    [Fact]
    public async Task An_existing_jobs_index_with_an_incompatible_mapping_fails_with_a_message_naming_the_fields()
    {
        StoreHarness.StubCompatibleCluster(Es);
        var dynamic = JobsMapping.Load();
        dynamic["properties"]!["inputs"] = new JsonObject { ["properties"] = new JsonObject { ["x"] = new JsonObject { ["type"] = "long" } } };
        dynamic["properties"]!.AsObject().Remove("events");
        Es.On("GET", "/jobs/_mapping", 200, EsAnswers.MappingOf("jobs-000001", dynamic), priority: 1);

        var e = await Assert.ThrowsAsync<IncompatibleIndexException>(() => _harness.Bootstrapper.EnsureAsync(CancellationToken.None).AsTask());

        Assert.Contains("[jobs-000001] behind [jobs]", e.Message);
        Assert.Contains("[inputs] is object, expected flattened", e.Message);
        Assert.Contains("[events] is missing", e.Message);
        Assert.DoesNotContain(Es.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task An_index_made_by_an_older_version_gets_only_the_missing_fields_and_a_missing_events_index_is_created()
    {
        StoreHarness.StubCompatibleCluster(Es);
        var old = JobsMapping.Load();
        foreach (var field in new[] { "merge", "pending-events", "idempotency", "outbox", "outbox-since" })
        {
            old["properties"]!.AsObject().Remove(field);
        }

        Es.On("GET", "/jobs/_mapping", 200, EsAnswers.MappingOf("jobs-000001", old), priority: 1);
        Es.On("PUT", "/jobs/_mapping", 200, """{"acknowledged":true}""");
        StubMissing("job-events");

        await _harness.Bootstrapper.EnsureAsync(CancellationToken.None);

        Assert.Equal(
            ["GET /", "GET /jobs/_mapping", "PUT /jobs/_mapping", "GET /job-events/_mapping", "PUT /job-events-000001", "GET /processes/_mapping"],
            Es.Requests.Select(r => r.Line));
        var expected = JobsMapping.Load()["properties"]!;
        var put = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["idempotency"] = expected["idempotency"]!.DeepClone(),
                ["merge"] = expected["merge"]!.DeepClone(),
                ["pending-events"] = expected["pending-events"]!.DeepClone(),
                ["outbox"] = expected["outbox"]!.DeepClone(),
                ["outbox-since"] = expected["outbox-since"]!.DeepClone(),
            },
        };
        Assert.Equal(put.ToJsonString(), Es.Requests.Single(r => r.Line == "PUT /jobs/_mapping").Body);
    }

    [Fact]
    public async Task A_missing_sub_property_is_added_under_its_existing_parent()
    {
        StoreHarness.StubCompatibleCluster(Es);
        var old = JobsMapping.Load();
        old["properties"]!["idempotency"]!["properties"]!.AsObject().Remove("request-sha256");
        Es.On("GET", "/jobs/_mapping", 200, EsAnswers.MappingOf("jobs-000001", old), priority: 1);
        Es.On("PUT", "/jobs/_mapping", 200, """{"acknowledged":true}""");

        await _harness.Bootstrapper.EnsureAsync(CancellationToken.None);

        Assert.Equal(
            """{"properties":{"idempotency":{"properties":{"request-sha256":{"type":"keyword","index":false,"doc_values":false}}}}}""",
            Es.Requests.Single(r => r.Line == "PUT /jobs/_mapping").Body);
    }

    [Fact]
    public async Task Missing_fields_the_cluster_refuses_to_add_are_reported_with_its_reason()
    {
        StoreHarness.StubCompatibleCluster(Es);
        var old = JobsMapping.Load();
        old["properties"]!.AsObject().Remove("merge");
        Es.On("GET", "/jobs/_mapping", 200, EsAnswers.MappingOf("jobs-000001", old), priority: 1);
        Es.On("PUT", "/jobs/_mapping", 400, """
            {"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"mapper [merge] cannot be added"}],"type":"illegal_argument_exception","reason":"mapper [merge] cannot be added"},"status":400}
            """);

        var e = await Assert.ThrowsAsync<IncompatibleIndexException>(() => _harness.Bootstrapper.EnsureAsync(CancellationToken.None).AsTask());

        Assert.Contains("Adding the fields merge to [jobs-000001] behind [jobs] was refused", e.Message);
        Assert.Contains("mapper [merge] cannot be added", e.Message);
    }

    [Fact]
    public async Task With_index_creation_off_missing_fields_are_reported_and_the_mapping_is_not_changed()
    {
        await using var harness = new StoreHarness(new Dictionary<string, string?> { ["CreateIndices"] = "false" });
        StoreHarness.StubCompatibleCluster(harness.Es);
        var old = JobsMapping.Load();
        old["properties"]!.AsObject().Remove("merge");
        harness.Es.On("GET", "/jobs/_mapping", 200, EsAnswers.MappingOf("jobs-000001", old), priority: 1);

        var e = await Assert.ThrowsAsync<IncompatibleIndexException>(() => harness.Bootstrapper.EnsureAsync(CancellationToken.None).AsTask());

        Assert.Contains("[merge] is missing", e.Message);
        Assert.DoesNotContain(harness.Es.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task A_creation_race_lost_to_another_instance_ends_in_verifying_the_index_it_made()
    {
        Es.On("GET", "/", 200, EsAnswers.Elasticsearch8Info);
        StoreHarness.StubCompatibleCluster(Es);
        Es.OnSequence("GET", "/jobs/_mapping", (404, EsAnswers.IndexNotFound("jobs")), (200, EsAnswers.MappingOf("jobs-000001", JobsMapping.Load())));
        Es.On("PUT", "/jobs-000001", 400, EsAnswers.IndexAlreadyExists("jobs-000001"));

        await _harness.Bootstrapper.EnsureAsync(CancellationToken.None);

        Assert.Equal(
            ["GET /", "GET /jobs/_mapping", "PUT /jobs-000001", "GET /jobs/_mapping", "GET /job-events/_mapping", "GET /processes/_mapping"],
            Es.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task An_alias_over_two_indices_is_refused_because_reads_by_id_need_one()
    {
        StoreHarness.StubCompatibleCluster(Es);
        var two = new JsonObject
        {
            ["jobs-000001"] = new JsonObject { ["mappings"] = JobsMapping.Load() },
            ["jobs-000002"] = new JsonObject { ["mappings"] = JobsMapping.Load() },
        };
        Es.On("GET", "/jobs/_mapping", 200, two.ToJsonString(), priority: 1);

        var e = await Assert.ThrowsAsync<IncompatibleIndexException>(() => _harness.Bootstrapper.EnsureAsync(CancellationToken.None).AsTask());

        Assert.Contains("points to 2 indices (jobs-000001, jobs-000002)", e.Message);
    }

    [Fact]
    public async Task With_index_creation_off_a_missing_index_is_reported_and_not_created()
    {
        await using var harness = new StoreHarness(new Dictionary<string, string?> { ["CreateIndices"] = "false" });
        harness.Es.On("GET", "/", 200, EsAnswers.Elasticsearch8Info);
        harness.Es.On("GET", "/jobs/_mapping", 404, EsAnswers.IndexNotFound("jobs"));

        var e = await Assert.ThrowsAsync<IncompatibleIndexException>(() => harness.Bootstrapper.EnsureAsync(CancellationToken.None).AsTask());

        Assert.Contains("Jobs__Elasticsearch__CreateIndices is false", e.Message);
        Assert.DoesNotContain(harness.Es.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task A_mapping_the_cluster_refuses_is_reported_with_the_clusters_reason()
    {
        Es.On("GET", "/", 200, EsAnswers.OpenSearch2Info);
        StubMissing("jobs");
        Es.On("PUT", "/jobs-000001", 400, """
            {"error":{"root_cause":[{"type":"mapper_parsing_exception","reason":"No handler for type [flat_object] declared on field [inputs]"}],"type":"mapper_parsing_exception","reason":"Failed to parse mapping [_doc]: No handler for type [flat_object] declared on field [inputs]","caused_by":{"type":"mapper_parsing_exception","reason":"No handler for type [flat_object] declared on field [inputs]"}},"status":400}
            """, priority: 1);

        var e = await Assert.ThrowsAsync<IncompatibleIndexException>(() => _harness.Bootstrapper.EnsureAsync(CancellationToken.None).AsTask());

        Assert.Contains("OpenSearch 2.17.1 refused to create [jobs-000001]: mapper_parsing_exception: Failed to parse mapping", e.Message);
    }

    [Fact]
    public async Task Index_prefix_and_replica_settings_shape_the_names_and_the_settings()
    {
        await using var harness = new StoreHarness(new Dictionary<string, string?> { ["IndexPrefix"] = "staging-", ["NumberOfReplicas"] = "0" });
        harness.Es.On("GET", "/", 200, EsAnswers.Elasticsearch8Info);
        foreach (var name in new[] { "jobs", "job-events", "processes" })
        {
            harness.Es.On("GET", $"/staging-{name}/_mapping", 404, EsAnswers.IndexNotFound($"staging-{name}"));
            harness.Es.On("PUT", $"/staging-{name}-000001", 200, EsAnswers.IndexCreated($"staging-{name}-000001"));
        }

        await harness.Bootstrapper.EnsureAsync(CancellationToken.None);

        var body = JsonNode.Parse(harness.Es.Requests.Single(r => r.Line == "PUT /staging-jobs-000001").Body!)!;
        Assert.Equal("""{"number_of_shards":1,"number_of_replicas":0}""", body["settings"]!.ToJsonString());
        Assert.Equal("""{"staging-jobs":{"is_write_index":true}}""", body["aliases"]!.ToJsonString());
    }

    [Fact]
    public async Task The_host_does_not_start_when_an_index_is_incompatible()
    {
        StoreHarness.StubCompatibleCluster(Es);
        var wrong = JobsMapping.Load();
        wrong["properties"]!["status"] = new JsonObject { ["type"] = "text" };
        Es.On("GET", "/jobs/_mapping", 200, EsAnswers.MappingOf("jobs-000001", wrong), priority: 1);
        var service = _harness.Services.GetServices<IHostedService>().OfType<BootstrapHostedService>().Single();

        var e = await Assert.ThrowsAsync<IncompatibleIndexException>(() => service.StartAsync(CancellationToken.None));

        Assert.Contains("[status] is text, expected keyword", e.Message);
    }

    [Fact]
    public async Task The_host_starts_when_the_cluster_is_unreachable_and_the_store_reports_not_ready()
    {
        using var dead = new DeadNode();
        await using var harness = new StoreHarness(new Dictionary<string, string?> { ["MaxRetries"] = "0" }, url: dead.Url);
        var service = harness.Services.GetServices<IHostedService>().OfType<BootstrapHostedService>().Single();

        await service.StartAsync(CancellationToken.None);
        var health = await harness.Jobs.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.Ready);
        Assert.Contains("could not be reached", health.Description);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => harness.Jobs.GetAsync("j1", CancellationToken.None));
    }

    [Fact]
    public async Task A_cluster_that_never_answers_does_not_hold_the_host_at_start()
    {
        // Accepts connections and never answers: without a bound, start-up would wait for the
        // per-attempt timeout times the attempts, past Lambda's 10 s start-up limit.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        await using var harness = new StoreHarness(
            new Dictionary<string, string?> { ["RequestTimeout"] = "00:01:00", ["MaxRetries"] = "3" },
            url: $"http://127.0.0.1:{port}");
        var service = harness.Services.GetServices<IHostedService>().OfType<BootstrapHostedService>().Single();

        var start = service.StartAsync(CancellationToken.None);
        var finished = await Task.WhenAny(start, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(start, finished);
        await start;
        Assert.False(harness.Bootstrapper.IsReady);
    }

    private void StubMissing(params string[] aliases)
    {
        foreach (var alias in aliases)
        {
            Es.On("GET", $"/{alias}/_mapping", 404, EsAnswers.IndexNotFound(alias));
            Es.On("PUT", $"/{alias}-000001", 200, EsAnswers.IndexCreated($"{alias}-000001"));
        }
    }
}
