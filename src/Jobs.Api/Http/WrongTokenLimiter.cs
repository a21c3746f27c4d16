using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Http;

/// <summary>
/// Wrong update tokens per job (a fixed window per job id, from System.Threading.RateLimiting):
/// each wrong-token update takes a permit; once a job's permits are gone, wrong-token updates of
/// that job are refused with 429 before anything is stored, while right-token updates go on.
/// </summary>
public sealed class WrongTokenLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(jobId =>
        options.Value.WrongTokenPermits == 0
            ? RateLimitPartition.GetNoLimiter(jobId)
            : RateLimitPartition.GetFixedWindowLimiter(jobId, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.Value.WrongTokenPermits,
                Window = options.Value.WrongTokenWindow,
                QueueLimit = 0,
            }));

    /// <summary>A failed lease (with its Retry-After) when the job has no wrong-token permit left; null otherwise. Takes no permit.</summary>
    public RateLimitLease? Exhausted(string jobId)
    {
        var probe = _limiter.AttemptAcquire(jobId, 0);
        if (probe.IsAcquired)
        {
            probe.Dispose();
            return null;
        }

        return probe;
    }

    /// <summary>The lease's <c>Retry-After</c>, whole seconds (at least 1).</summary>
    public static string RetryAfterSeconds(RateLimitLease lease) =>
        (lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Counts one wrong-token update of the job.</summary>
    public void Count(string jobId) => _limiter.AttemptAcquire(jobId).Dispose();

    public void Dispose() => _limiter.Dispose();
}
