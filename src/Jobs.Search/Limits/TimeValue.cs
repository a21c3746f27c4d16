using System.Globalization;

namespace Jobs.Search.Limits;

/// <summary>Elasticsearch's time values (<c>500ms</c>, <c>2s</c>, <c>1m</c>, <c>-1</c> for none), as the <c>timeout</c> of a search takes them.</summary>
public static class TimeValue
{
    private static readonly (string Unit, double Millis)[] Units =
    [
        ("nanos", 1e-6), ("micros", 1e-3), ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ];

    /// <summary>The duration written, or null for <c>-1</c> (no limit) and for text that is not a time value.</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "-1")
        {
            return null;
        }

        text = text.Trim();
        foreach (var (unit, millis) in Units.OrderByDescending(u => u.Unit.Length))
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
                && amount >= 0)
            {
                return TimeSpan.FromMilliseconds(amount * millis);
            }
        }

        return null;
    }
}
