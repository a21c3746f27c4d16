using Jobs.Core.Storage;
using Jobs.Elasticsearch;
using Jobs.Elasticsearch.Bootstrap;
using Jobs.Elasticsearch.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Conformance.Tests.Elasticsearch;

/// <summary>
/// One test's store on a live cluster: indices under a prefix of its own (so tests never see
/// each other's jobs), created by the adapter's bootstrap and deleted afterwards.
/// </summary>
internal sealed class ElasticsearchStoreUnderTest : IStoreUnderTest
{
    private readonly ServiceProvider _provider;

    private ElasticsearchStoreUnderTest(ServiceProvider provider) => _provider = provider;

    public IJobStore Jobs => _provider.GetRequiredService<IJobStore>();

    public IProcessRegistry Processes => _provider.GetRequiredService<IProcessRegistry>();

    private IndexBootstrapper Bootstrapper => _provider.GetRequiredService<IndexBootstrapper>();

    private ElasticsearchHttpClient Client => _provider.GetRequiredService<ElasticsearchHttpClient>();

    public static async Task<ElasticsearchStoreUnderTest> CreateAsync(string url)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{ElasticsearchOptions.SectionName}:Url"] = url,
                [$"{ElasticsearchOptions.SectionName}:IndexPrefix"] = $"conformance-{Guid.NewGuid():N}-",
                [$"{ElasticsearchOptions.SectionName}:NumberOfReplicas"] = "0",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddElasticsearchJobStore(configuration);
        var store = new ElasticsearchStoreUnderTest(services.BuildServiceProvider());
        await store.Bootstrapper.EnsureAsync(CancellationToken.None);
        return store;
    }

    /// <summary><c>POST /{alias}/_refresh</c> for each index: every completed write becomes searchable.</summary>
    public async Task RefreshAsync()
    {
        foreach (var index in Bootstrapper.Layout.All)
        {
            var response = await Client.RefreshAsync(index.Alias, CancellationToken.None);
            if (!response.IsSuccess)
            {
                throw response.Unexpected($"Refreshing [{index.Alias}]");
            }
        }
    }

    /// <summary>Deletes the test's indices (by concrete name: Elasticsearch refuses to delete through an alias).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var index in Bootstrapper.Layout.All)
            {
                await Client.DeleteIndexAsync(index.FirstIndex, CancellationToken.None);
            }
        }
        finally
        {
            await _provider.DisposeAsync();
        }
    }
}
