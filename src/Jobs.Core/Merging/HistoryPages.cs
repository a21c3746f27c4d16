using Jobs.Core.Jobs;
using Jobs.Core.Storage;

namespace Jobs.Core.Merging;

/// <summary>Pages a history held in memory (a legacy document's own events) the way the stores page theirs.</summary>
public static class HistoryPages
{
    public static HistoryPage Page(IEnumerable<JobEvent> events, string? after, int limit)
    {
        var page = events
            .Select(e => (Key: StoredEvents.SortKey(e), Event: e))
            .Where(e => after is null || string.CompareOrdinal(e.Key, after) > 0)
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var more = page.Count > limit;
        if (more)
        {
            page.RemoveAt(limit);
        }

        return new HistoryPage([.. page.Select(e => e.Event)], more ? page[^1].Key : null);
    }
}
