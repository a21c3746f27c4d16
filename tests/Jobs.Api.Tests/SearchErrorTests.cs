using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Jobs.Core.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Api.Tests;

/// <summary>/jobs/_search and /jobs/_count answer errors in Elasticsearch's shape, store outages included, as /es does.</summary>
public class SearchErrorTests
{
    [Theory]
    [InlineData("/jobs/_search")]
    [InlineData("/jobs/_count")]
    [InlineData("/es/jobs/_search")]
    public async Task A_store_outage_is_an_elasticsearch_shaped_503_with_retry_after(string path)
    {
        using var factory = new JobsApiFactory();
        using var host = factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IJobStore>(provider => UnavailableSearches.Wrap(provider.GetRequiredService<Jobs.Embedded.EmbeddedJobStore>()))));

        var response = await host.CreateClient().PostAsync(path, ApiCalls.Json("""{"query":{"match_all":{}}}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("unavailable_shards_exception", error["error"]!["type"]!.GetValue<string>());
        Assert.Contains("index closed for a test", error["error"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(503, error["status"]!.GetValue<int>());
    }

    /// <summary>The store, except that its searches and counts find it unavailable.</summary>
    public class UnavailableSearches : DispatchProxy
    {
        private IJobStore _inner = null!;

        public static IJobStore Wrap(IJobStore inner)
        {
            var proxy = Create<IJobStore, UnavailableSearches>();
            ((UnavailableSearches)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name is nameof(IJobStore.SearchAsync) or nameof(IJobStore.CountAsync))
            {
                return Task.FromException<JsonObject>(new StoreUnavailableException("The index closed for a test."));
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }
}
