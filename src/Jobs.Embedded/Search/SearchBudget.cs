using Lucene.Net.Search;
using Lucene.Net.Index;

namespace Jobs.Embedded.Search;

/// <summary>
/// The time one search may take (<see cref="Jobs.Search.Limits.SearchLimits.Timeout"/>, or less when the
/// request's <c>timeout</c> says so), on the store's <see cref="TimeProvider"/>: collectors are
/// wrapped so that the search stops at the first document past the deadline (checked at each
/// segment and each document, one clock read); loops of our own call <see cref="ThrowIfExpired"/>. The
/// search then answers <c>timed_out: true</c> with what it collected.
/// </summary>
/// <remarks>
/// Lucene.Net's <c>TimeLimitingCollector</c> does the same on a <c>Counter</c> of its own; this
/// wrapper reads the store's <see cref="TimeProvider"/> directly, so tests drive it with a fake clock.
/// </remarks>
internal sealed class SearchBudget
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _deadline;

    public SearchBudget(TimeProvider time, TimeSpan allowed)
    {
        _time = time;
        _deadline = time.GetUtcNow() + (allowed < TimeSpan.Zero ? TimeSpan.Zero : allowed);
    }

    public ICollector Limit(ICollector collector) => new BudgetCollector(collector, this);

    public void ThrowIfExpired()
    {
        if (_time.GetUtcNow() > _deadline)
        {
            throw new TimeoutException("The search ran past its time budget.");
        }
    }

    /// <summary>Whether an exception is this budget running out.</summary>
    public static bool IsExpiry(Exception e) => e is TimeoutException;

    private sealed class BudgetCollector(ICollector inner, SearchBudget budget) : ICollector
    {
        public bool AcceptsDocsOutOfOrder => inner.AcceptsDocsOutOfOrder;

        public void SetScorer(Scorer scorer) => inner.SetScorer(scorer);

        public void SetNextReader(AtomicReaderContext context)
        {
            budget.ThrowIfExpired();
            inner.SetNextReader(context);
        }

        public void Collect(int doc)
        {
            budget.ThrowIfExpired();
            inner.Collect(doc);
        }
    }
}
