using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Bootstrap;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Elasticsearch.Tests.Support;

/// <summary>
/// The adapter as a host wires it (<see cref="ElasticsearchServiceCollectionExtensions.AddElasticsearchJobStore"/>),
/// pointed at an <see cref="EsServer"/>, with a fixed clock and millisecond retry delays.
/// </summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    /// <param name="url">The cluster's URL (default: <see cref="Es"/>'s); null with <paramref name="settings"/> naming <c>Urls:0</c>, … for several nodes.</param>
    /// <param name="engine">What <see cref="Es"/> plays (default: Elasticsearch 8).</param>
    public StoreHarness(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? url = null, Engine? engine = null)
    {
        Es = new EsServer(engine);
        var values = new Dictionary<string, string?>
        {
            ["Jobs:Elasticsearch:Url"] = url ?? (settings?.ContainsKey("Urls:0") == true ? null : Es.Url),
            ["Jobs:Elasticsearch:RetryDelay"] = "00:00:00.001",
            ["Jobs:Elasticsearch:MaxRetries"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values["Jobs:Elasticsearch:" + key] = value;
        }

        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(new FixedTime(Now));
        collection.AddElasticsearchJobStore(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services?.Invoke(collection);
        _provider = collection.BuildServiceProvider();
    }

    public EsServer Es { get; }

    public IServiceProvider Services => _provider;

    public IJobStore Jobs => _provider.GetRequiredService<IJobStore>();

    public IProcessRegistry Processes => _provider.GetRequiredService<IProcessRegistry>();

    public IndexBootstrapper Bootstrapper => _provider.GetRequiredService<IndexBootstrapper>();

    /// <summary>An Elasticsearch 8 cluster whose indices exist and fit; bootstraps, then forgets those requests.</summary>
    public async Task StartAsync()
    {
        StubCompatibleCluster(Es);
        await Bootstrapper.EnsureAsync(CancellationToken.None);
        Es.ClearLog();
    }

    public static void StubCompatibleCluster(EsServer es, string prefix = "")
    {
        es.On("GET", "/", 200, es.Engine.Info, priority: 50);
        es.On("GET", $"/{prefix}jobs/_mapping", 200, EsAnswers.MappingOf($"{prefix}jobs-000001", JobsMapping.Load(), es.Engine), priority: 50);
        es.On("GET", $"/{prefix}job-events/_mapping", 200, EsAnswers.MappingOf($"{prefix}job-events-000001", MappingResource.Load("job-events-mapping.json"), es.Engine), priority: 50);
        es.On("GET", $"/{prefix}processes/_mapping", 200, EsAnswers.MappingOf($"{prefix}processes-000001", MappingResource.Load("processes-mapping.json"), es.Engine), priority: 50);
        es.On("GET", $"/{prefix}job-subscriptions/_mapping", 200, EsAnswers.MappingOf($"{prefix}job-subscriptions-000001", MappingResource.Load("job-subscriptions-mapping.json"), es.Engine), priority: 50);
        es.On("GET", $"/{prefix}job-deliveries/_mapping", 200, EsAnswers.MappingOf($"{prefix}job-deliveries-000001", MappingResource.Load("job-deliveries-mapping.json"), es.Engine), priority: 50);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Es.Dispose();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
