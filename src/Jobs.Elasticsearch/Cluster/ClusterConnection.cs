using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Jobs.Elasticsearch.Auth;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Jobs.Elasticsearch.Cluster;

/// <summary>
/// The official client, set up from <see cref="ElasticsearchOptions"/>: a node pool of the
/// configured URLs (one: a single-node pool; several: a static pool tried round-robin in the
/// given order, a node that fails marked dead and the next one tried), Basic or API-key
/// authentication, the CA certificate, and an invoker whose HTTP handler chain is, outermost
/// first, the retries of one node with backoff and the per-attempt time-out
/// (<see cref="RetryPolicy"/>), then SigV4 signing when configured, then the transport's own
/// socket handler.
/// </summary>
/// <remarks>
/// <para>Why retries inside the invoker as well as the transport's: the transport retries only by
/// moving to another node, at once, and not at all with one node, while Elasticsearch's answer to
/// overload (429) means "the same request again, later". So one node retries passing failures
/// itself with backoff; with several nodes only 429 (the others move on to the next node).</para>
/// <para>Plain JSON, no product check: the client's typed API sends
/// <c>application/vnd.elasticsearch+json; compatible-with=9</c>, which Elasticsearch 8 refuses,
/// and its product check refuses OpenSearch (no <c>X-Elastic-Product</c> header). The store
/// therefore makes only low-level calls with <see cref="Json"/> media types, which the
/// transport sends as given, and no typed call at all. Request bodies are not compressed (the
/// wire stays as written; gzip is the transport's default), and pings are off (OpenSearch
/// Serverless has no <c>HEAD /</c>; a failed request marks its node dead all the same).</para>
/// </remarks>
internal static class ClusterConnection
{
    public const string Json = "application/json";

    /// <param name="signing">A fresh SigV4 handler for each handler chain the invoker builds, or null.</param>
    public static ElasticsearchClientSettings Settings(ElasticsearchOptions options, Func<DelegatingHandler>? signing)
    {
        var nodes = options.NodeUris();
        NodePool pool = nodes.Count == 1 ? new SingleNodePool(nodes[0]) : new StaticNodePool(nodes, randomize: false);
        var invoker = new HttpRequestInvoker((primary, bound) => Chain(primary, bound, options, nodes.Count, signing));
        var settings = new ElasticsearchClientSettings(pool, invoker)
            .EnableHttpCompression(false)
            .DisablePing()
            .MaximumRetries(options.MaxRetries)
            .RequestTimeout(RequestBudget(options))
            .MaxRetryTimeout(RequestBudget(options) * nodes.Count);
        switch (options.EffectiveAuth())
        {
            case ElasticsearchAuth.Basic:
                settings.Authentication(new BasicAuthentication(options.Username!, options.Password!));
                break;
            case ElasticsearchAuth.ApiKey:
                settings.Authentication(new ApiKey(options.ApiKey!.Trim()));
                break;
        }

        if (options.CaCertificatePath is { Length: > 0 } path)
        {
            var authorities = CertificateTrust.LoadAuthorities(path);
            settings.ServerCertificateValidationCallback((_, certificate, chain, errors) =>
                CertificateTrust.IsTrusted(certificate as X509Certificate2, chain, errors, authorities));
        }

        return settings;
    }

    /// <summary>
    /// The transport's time limit of one request on one node (its <c>HttpClient.Timeout</c>): every
    /// attempt, and the longest backoff (30 s) between them.
    /// </summary>
    internal static TimeSpan RequestBudget(ElasticsearchOptions options) =>
        options.RequestTimeout * (options.MaxRetries + 1) + RetryPolicy.MaxDelay * options.MaxRetries;

    private static HttpMessageHandler Chain(HttpMessageHandler primary, BoundConfiguration bound, ElasticsearchOptions options, int nodeCount, Func<DelegatingHandler>? signing)
    {
        var inner = primary;
        if (signing?.Invoke() is { } signer)
        {
            signer.InnerHandler = inner;
            inner = signer;
        }

        // A request configured with one attempt's time (a health probe) gets a chain of its own
        // (the invoker keys its handlers by time-out) without retries.
        var retries = bound.RequestTimeout > options.RequestTimeout;
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>();
        RetryPolicy.Configure(pipeline, options, retries, sameNodeFailures: nodeCount == 1);
        return new AttemptFailures { InnerHandler = new ResilienceHandler(pipeline.Build()) { InnerHandler = inner } };
    }

    /// <summary>
    /// What the retries give up on leaves the chain as <see cref="HttpRequestException"/>, the
    /// failure the transport records (and fails over on): an attempt's time-out, or a connection
    /// reset while the answer was read.
    /// </summary>
    private sealed class AttemptFailures : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutRejectedException or IOException or SocketException)
            {
                throw new HttpRequestException($"{request.Method} {request.RequestUri}: {e.Message}", e);
            }
        }
    }
}
