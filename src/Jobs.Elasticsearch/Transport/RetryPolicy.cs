using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Jobs.Elasticsearch.Transport;

/// <summary>
/// What is retried: 429 (the cluster sheds load), 502/503/504 (a node or proxy in between is
/// down), connection failures and attempt time-outs; with exponential backoff and jitter, a
/// bounded number of times. Never another 4xx: the same request would be refused again. Every
/// request the adapter sends is safe to repeat (conditional writes, <c>op_type=create</c>,
/// reads).
/// </summary>
internal static class RetryPolicy
{
    public static IReadOnlySet<int> RetryableStatuses { get; } = new HashSet<int> { 429, 502, 503, 504 };

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ElasticsearchOptions options)
    {
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
            });
        }

        // Per attempt, inside the retry: a hung node costs one attempt, not the whole request.
        pipeline.AddTimeout(options.RequestTimeout);
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (context.GetRequestMessage()?.Options.TryGetValue(ElasticsearchHttpClient.NoRetry, out var noRetry) == true && noRetry)
        {
            return false;
        }

        return outcome switch
        {
            // A reset connection usually surfaces as HttpRequestException, but can escape as a bare
            // SocketException or IOException when it happens while the response body is read.
            { Exception: HttpRequestException or TimeoutRejectedException or System.Net.Sockets.SocketException or IOException } => true,
            { Result: { } response } => RetryableStatuses.Contains((int)response.StatusCode),
            _ => false,
        };
    }
}
