namespace Jobs.Core.Notifications;

/// <summary>
/// When a failed delivery is tried again: exponential backoff with jitter. Try n (n ≥ 1) failed
/// waits between half and all of <c>Initial · 2^(n-1)</c>, capped at <see cref="Max"/>, so retries
/// of many failing deliveries spread out instead of arriving together. The defaults, 8 tries
/// starting at 30 s, span about an hour.
/// </summary>
public sealed record RetryPolicy
{
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan Initial { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Max { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The wait after try <paramref name="attempt"/> failed; <paramref name="random"/> in [0, 1).</summary>
    public TimeSpan Delay(int attempt, double random)
    {
        var full = Math.Min(Max.TotalSeconds, Initial.TotalSeconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromSeconds(full / 2 + (full / 2 * random));
    }
}
