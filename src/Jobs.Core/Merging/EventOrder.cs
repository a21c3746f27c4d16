using System.Globalization;
using Jobs.Core.Jobs;

namespace Jobs.Core.Merging;

/// <summary>
/// The canonical replay order of a job's events: creation first, then event time, then status
/// rank (no status lowest), then update id (ordinal). The same order is the history's "oldest
/// first", and <see cref="Key"/> spells it as a string whose ordinal order is this order, so a
/// store can sort and page events by one keyword.
/// </summary>
public sealed class EventOrder : IComparer<JobEvent>
{
    public static readonly EventOrder Instance = new();

    /// <summary>
    /// <c>[0 creation | 1 other][UTC ticks, 19 digits][rank + 1, one digit][update id]</c>: the
    /// fixed-width prefix makes ordinal string order equal <see cref="Compare"/>.
    /// </summary>
    public static string Key(JobEvent e) =>
        string.Create(CultureInfo.InvariantCulture, $"{(e.IsCreation ? '0' : '1')}{e.Time.UtcTicks:D19}{RankOf(e) + 1}{e.Id}");

    public int Compare(JobEvent? x, JobEvent? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var c = y.IsCreation.CompareTo(x.IsCreation);
        if (c != 0)
        {
            return c;
        }

        c = x.Time.UtcTicks.CompareTo(y.Time.UtcTicks);
        if (c != 0)
        {
            return c;
        }

        c = RankOf(x).CompareTo(RankOf(y));
        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }

    private static int RankOf(JobEvent e) => e.Status?.Rank() ?? -1;
}
