using System.Threading.RateLimiting;
using Jobs.Api.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Http;

/// <summary>
/// ASP.NET Core's rate limiter, partitioned by caller: the authenticated user, else the remote
/// address. The local administrator on loopback (no authentication configured) is not limited:
/// it is the machine's own operator. Rejections are 429 with <c>Retry-After</c> and a body in the
/// surface's error shape.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddJobsRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName)
            .Validate(o => o.PerCallerPermits >= 0 && o.WrongTokenPermits >= 0, "Jobs:RateLimits permits must be 0 (off) or more.")
            .Validate(o => o.PerCallerWindow > TimeSpan.Zero && o.WrongTokenWindow > TimeSpan.Zero, "Jobs:RateLimits windows must be positive.")
            .ValidateOnStart();
        services.AddSingleton<WrongTokenLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, IOptions<AuthOptions>>((limiter, limits, auth) =>
        {
            var options = limits.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var key = PartitionKey(context, auth.Value);
                return key is null || options.PerCallerPermits == 0
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PerCallerPermits,
                        Window = options.PerCallerWindow,
                        QueueLimit = 0,
                    });
            });
            limiter.OnRejected = (rejected, _) => new ValueTask(RejectAsync(rejected.HttpContext, rejected.Lease,
                $"More than {options.PerCallerPermits} requests in {options.PerCallerWindow}; retry after the time in Retry-After."));
        });
        return services;
    }

    /// <summary>429 with <c>Retry-After</c> (whole seconds, from the limiter's lease).</summary>
    public static Task RejectAsync(HttpContext context, RateLimitLease lease, string detail)
    {
        context.Response.Headers.RetryAfter = WrongTokenLimiter.RetryAfterSeconds(lease);
        return Refusals.WriteAsync(context, StatusCodes.Status429TooManyRequests, ProblemTypes.TooManyRequests,
            "es_rejected_execution_exception", "Too many requests", detail);
    }

    /// <summary>The caller's partition: user, else remote address; null for the local administrator on loopback.</summary>
    private static string? PartitionKey(HttpContext context, AuthOptions auth)
    {
        var identity = context.User.Identity;
        if (identity is { IsAuthenticated: true, AuthenticationType: LocalCallerHandler.SchemeName }
            && LocalCallerHandler.IsLoopback(context.Connection.RemoteIpAddress))
        {
            return null;
        }

        return identity is { IsAuthenticated: true, AuthenticationType: not LocalCallerHandler.SchemeName }
            ? "user:" + Caller.From(context.User, auth).UserId
            : "address:" + context.Connection.RemoteIpAddress;
    }
}
