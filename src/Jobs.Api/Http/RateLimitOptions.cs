namespace Jobs.Api.Http;

/// <summary>
/// Rate limits (section <c>Jobs:RateLimits</c>): requests per caller, and wrong update tokens per
/// job. A fixed window each; <c>0</c> permits turns a limit off. Over a limit: 429 with
/// <c>Retry-After</c>.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Jobs:RateLimits";

    /// <summary>Requests one caller (an authenticated user, else a remote address) may make per window.</summary>
    public int PerCallerPermits { get; set; } = 1200;

    public TimeSpan PerCallerWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Updates with a wrong token one job may receive per window (each is recorded in its
    /// history); beyond it, wrong-token updates of that job get 429 and are not recorded.
    /// </summary>
    public int WrongTokenPermits { get; set; } = 10;

    public TimeSpan WrongTokenWindow { get; set; } = TimeSpan.FromMinutes(1);
}
