using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Jobs.Elasticsearch.Cluster;

/// <summary>
/// What one node retries: 429 (the cluster sheds load) and, when it is the only node,
/// 502/503/504 (it or a proxy in between is down), connection failures and attempt time-outs;
/// with exponential backoff and jitter, a bounded number of times. Never another 4xx: the same
/// request would be refused again. Every request the adapter sends is safe to repeat
/// (conditional writes, <c>op_type=create</c>, reads).
/// </summary>
internal static class RetryPolicy
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    public static IReadOnlySet<int> RetryableStatuses { get; } = new HashSet<int> { 429, 502, 503, 504 };

    /// <param name="retries">Whether to retry at all (not for health probes).</param>
    /// <param name="sameNodeFailures">Whether failures other than 429 are retried here: with several nodes the transport tries the next node instead.</param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ElasticsearchOptions options, bool retries, bool sameNodeFailures)
    {
        if (retries && options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, sameNodeFailures)),
            });
        }

        // Per attempt, inside the retry: a hung node costs one attempt, not the whole request.
        pipeline.AddTimeout(options.RequestTimeout);
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, bool sameNodeFailures) => outcome switch
    {
        { Result.StatusCode: System.Net.HttpStatusCode.TooManyRequests } => true,
        _ when !sameNodeFailures => false,
        // A reset connection usually surfaces as HttpRequestException, but can escape as a bare
        // SocketException or IOException when it happens while the response body is read.
        { Exception: HttpRequestException or TimeoutRejectedException or System.Net.Sockets.SocketException or IOException } => true,
        { Result: { } response } => RetryableStatuses.Contains((int)response.StatusCode),
        _ => false,
    };
}
