using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search;

/// <summary>
/// The time one search may take (<see cref="Jobs.Search.Limits.SearchLimits.Timeout"/>, or less when the
/// request's <c>timeout</c> says so), on the store's <see cref="TimeProvider"/>: collectors are
/// wrapped in Lucene's <see cref="TimeLimitingCollector"/>, which stops the search at the first
/// document past the deadline; loops of our own call <see cref="ThrowIfExpired"/>. The search then
/// answers <c>timed_out: true</c> with what it collected.
/// </summary>
internal sealed class SearchBudget
{
    private readonly long _start;
    private readonly long _allowed;
    private readonly Counter _clock;

    public SearchBudget(TimeProvider time, TimeSpan allowed)
    {
        _clock = new ClockCounter(time);
        _start = _clock.Value;
        _allowed = Math.Max(0, (long)allowed.TotalMilliseconds);
    }

    public ICollector Limit(ICollector collector)
    {
        var limited = new TimeLimitingCollector(collector, _clock, _allowed);
        limited.SetBaseline(_start);
        return limited;
    }

    public void ThrowIfExpired()
    {
        if (_clock.Value - _start > _allowed)
        {
            throw new TimeoutException("The search ran past its time budget.");
        }
    }

    /// <summary>Whether an exception is this budget running out (in a collector or in our loops).</summary>
    public static bool IsExpiry(Exception e) => e is TimeLimitingCollector.TimeExceededException or TimeoutException;

    /// <summary>Milliseconds of the store's clock, as Lucene's collector reads its ticks.</summary>
    private sealed class ClockCounter(TimeProvider time) : Counter
    {
        public override long Value => time.GetUtcNow().ToUnixTimeMilliseconds();

        public override long AddAndGet(long delta) => throw new NotSupportedException("The store's clock only moves by itself.");
    }
}
