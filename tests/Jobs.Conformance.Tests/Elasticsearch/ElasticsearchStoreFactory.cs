using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;

namespace Jobs.Conformance.Tests.Elasticsearch;

/// <summary>
/// Stores on a live cluster: the one named by <c>JOBS_TEST_ELASTICSEARCH_URL</c>, else a
/// single-node Elasticsearch 8.15.3 container started once per test run through Testcontainers
/// when a Docker engine answers, else none (every test skips, saying how to enable it).
/// </summary>
/// <remarks>
/// Other settings of the store (credentials, CA) come from the usual environment variables,
/// <c>Jobs__Elasticsearch__Username</c> and so on; the URL and the index prefix are the factory's.
/// </remarks>
public sealed class ElasticsearchStoreFactory : IStoreFactory
{
    public const string UrlVariable = "JOBS_TEST_ELASTICSEARCH_URL";
    public const string Image = "docker.elastic.co/elasticsearch/elasticsearch:8.15.3";

    private static readonly Lazy<Task<IContainer>> Container = new(StartContainerAsync);

    public string? SkipReason { get; } = ConfiguredUrl is null && TestcontainersSettings.OS.DockerEndpointAuthConfig is null
        ? $"No Elasticsearch cluster for the store conformance suite: set {UrlVariable} (for example http://localhost:9200, a cluster the tests may create and delete indices on), or run where a Docker engine is reachable so that Testcontainers starts {Image}."
        : null;

    private static string? ConfiguredUrl =>
        Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : null;

    public async Task<IStoreUnderTest> CreateAsync()
    {
        var url = ConfiguredUrl;
        if (url is null)
        {
            var container = await Container.Value;
            url = $"http://{container.Hostname}:{container.GetMappedPublicPort(9200)}";
        }

        return await ElasticsearchStoreUnderTest.CreateAsync(url);
    }

    private static async Task<IContainer> StartContainerAsync()
    {
        var container = new ContainerBuilder(Image)
            .WithEnvironment("discovery.type", "single-node")
            .WithEnvironment("xpack.security.enabled", "false")
            .WithEnvironment("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
            .WithPortBinding(9200, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request
                .ForPort(9200)
                .ForPath("/_cluster/health?wait_for_status=yellow&timeout=60s")))
            .Build();
        await container.StartAsync();
        return container; // removed by Testcontainers' resource reaper when the test run ends
    }
}
