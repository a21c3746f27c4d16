namespace Jobs.Search.Dates;

/// <summary>
/// Rounds a date down to its date histogram bucket, as Elasticsearch does: in the time zone's
/// local time (bucket_key = localToUtc(floor(utcToLocal(value) / interval) * interval)), after
/// removing the offset, which is added back to the key. Calendar units follow the calendar
/// (weeks start on Monday, quarters in January, April, July, October); fixed intervals are a
/// number of milliseconds.
/// </summary>
public sealed class DateRounding(char? unit, long fixedMillis, long offset, TimeZoneInfo zone)
{
    private readonly bool _utc = zone == TimeZoneInfo.Utc;

    public long Round(long value) => RoundRaw(value - offset) + offset;

    /// <summary>The key of the bucket after the one whose key is given.</summary>
    public long Next(long key)
    {
        var raw = key - offset;
        long next;
        if (unit is { } u)
        {
            next = RoundRaw(EsDates.ToEpochMillis(Add(EsDates.ToLocal(raw, zone), u), zone));
        }
        else
        {
            next = RoundRaw(raw + fixedMillis);
            if (next <= raw)
            {
                next = RoundRaw(raw + (2 * fixedMillis));
            }
        }

        return next + offset;
    }

    private long RoundRaw(long value)
    {
        if (unit is null)
        {
            if (_utc)
            {
                return FloorDiv(value, fixedMillis) * fixedMillis;
            }

            var shift = (long)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(value)).TotalMilliseconds;
            var local = FloorDiv(value + shift, fixedMillis) * fixedMillis;
            return EsDates.ToEpochMillis(DateTime.UnixEpoch.AddMilliseconds(local), zone);
        }

        var t = EsDates.ToLocal(value, zone);
        var floored = unit switch
        {
            'y' => new DateTime(t.Year, 1, 1),
            'q' => new DateTime(t.Year, ((t.Month - 1) / 3 * 3) + 1, 1),
            'M' => new DateTime(t.Year, t.Month, 1),
            'w' => t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)),
            'd' => t.Date,
            'h' => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0),
            _ => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0),
        };
        return EsDates.ToEpochMillis(floored, zone);
    }

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static DateTime Add(DateTime t, char unit) => unit switch
    {
        'y' => t.AddYears(1),
        'q' => t.AddMonths(3),
        'M' => t.AddMonths(1),
        'w' => t.AddDays(7),
        'd' => t.AddDays(1),
        'h' => t.AddHours(1),
        _ => t.AddMinutes(1),
    };
}
