using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Jobs.Core.Storage;
using Jobs.Aws;
using Jobs.Elasticsearch.Auth;
using Jobs.Elasticsearch.Bootstrap;
using Jobs.Elasticsearch.Store;
using Jobs.Elasticsearch.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.Elasticsearch;

public static class ElasticsearchServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient the store uses (configurable further with <c>AddHttpClient(ClientName)</c>).</summary>
    public const string ClientName = "Jobs.Elasticsearch";

    /// <summary>
    /// Registers the Elasticsearch store (section <c>Jobs:Elasticsearch</c>) as IJobStore and
    /// IProcessRegistry: one singleton over a typed HttpClient whose handlers are, outermost
    /// first, retry with backoff (429/502/503/504, connection failures, time-outs) and per-attempt
    /// time-out, then authentication (a fixed header, or SigV4 signing of each attempt), then TLS
    /// with an optional custom CA. Options are validated at start; the indices are bootstrapped by
    /// a hosted service (and on first use where there is no host).
    /// </summary>
    public static IServiceCollection AddElasticsearchJobStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ElasticsearchOptions>()
            .Bind(configuration.GetSection(ElasticsearchOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ElasticsearchOptions>>(
            new ElasticsearchOptionsValidator(Environment.GetEnvironmentVariable)));
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        var client = services.AddHttpClient(ClientName, (provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value;
                http.BaseAddress = options.BaseAddress();
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times each attempt
                if (StaticAuthorization(options) is { } authorization)
                {
                    http.DefaultRequestHeaders.Authorization = authorization;
                }
            })
            .ConfigurePrimaryHttpMessageHandler(PrimaryHandler)
            // The store is a singleton holding its client: rotate connections (DNS changes) in the
            // socket handler instead of by handler lifetime.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler("elasticsearch", (pipeline, context) =>
            Transport.RetryPolicy.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value));
        client.AddHttpMessageHandler(SigningHandler); // inside the retries: each attempt is signed afresh

        // The typed client is held by the singleton store, so it is a singleton too (see above).
        services.AddSingleton(provider => new ElasticsearchHttpClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName),
            provider.GetRequiredService<IOptions<ElasticsearchOptions>>()));
        services.AddSingleton<IndexBootstrapper>();
        services.AddSingleton<UpdateBatch>();
        services.AddSingleton<ElasticsearchJobStore>();
        services.AddSingleton<IJobStore>(provider => provider.GetRequiredService<ElasticsearchJobStore>());
        services.AddSingleton<IProcessRegistry>(provider => provider.GetRequiredService<ElasticsearchJobStore>());
        services.AddHostedService<BootstrapHostedService>();
        return services;
    }

    private static AuthenticationHeaderValue? StaticAuthorization(ElasticsearchOptions options) => options.EffectiveAuth() switch
    {
        ElasticsearchAuth.Basic => new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"))),
        ElasticsearchAuth.ApiKey => new AuthenticationHeaderValue("ApiKey", options.ApiKey!.Trim()),
        _ => null,
    };

    private static HttpMessageHandler PrimaryHandler(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        };
        if (options.CaCertificatePath is { Length: > 0 } path)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.Callback(CertificateTrust.LoadAuthorities(path));
        }

        return handler;
    }

    /// <summary>SigV4 when configured; otherwise a pass-through (the fixed header is on the client).</summary>
    private static DelegatingHandler SigningHandler(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value;
        if (options.EffectiveAuth() != ElasticsearchAuth.SigV4)
        {
            return new PassThroughHandler();
        }

        var region = AwsRegionResolver.Resolve(options, Environment.GetEnvironmentVariable)
            ?? throw new InvalidOperationException("SigV4 signing needs a region: set Jobs__Elasticsearch__AwsRegion or AWS_REGION.");
        var credentials = new AwsCredentialsSource(provider.GetService<AWSCredentials>());
        return new SigV4Handler(credentials.GetAsync, region, options.AwsService, provider.GetRequiredService<TimeProvider>());
    }

    private sealed class PassThroughHandler : DelegatingHandler;
}
