using System.Globalization;
using Jobs.Core.Search;

namespace Jobs.Search.Dates;

/// <summary>
/// Elasticsearch date handling for <c>date</c> fields: the mapping's default format
/// <c>strict_date_optional_time||epoch_millis</c>, the built-in format names and simple Java
/// patterns, time zones, and the rounding rule for missing components: parsing "up" (for
/// <c>gt</c> and <c>lte</c>) fills a missing time of day with 23:59:59.999 and a missing month or
/// day with 01, as Elasticsearch's range query documents.
/// It stays one file, a little over 300 lines, because formatting, parsing and rounding share the
/// format-name table and the pattern reader; split apart, each would need the other's internals.
/// </summary>
public static class EsDates
{
    public const string DefaultFormat = "strict_date_optional_time||epoch_millis";

    /// <summary>How a date comes back out: <c>2026-11-22T10:00:00.000Z</c>.</summary>
    public static string Format(long epochMillis) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMillis).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses a date written in <paramref name="format"/> (alternatives separated by <c>||</c>).</summary>
    public static bool TryParse(string text, string? format, bool roundUp, TimeZoneInfo zone, out long epochMillis)
    {
        foreach (var alternative in (format ?? DefaultFormat).Split("||"))
        {
            if (TryParseOne(text, alternative.Trim(), roundUp, zone, out epochMillis))
            {
                return true;
            }
        }

        epochMillis = 0;
        return false;
    }

    /// <summary><c>Z</c>, <c>UTC</c>, an offset (<c>+01:00</c>, <c>-0500</c>) or an IANA zone id.</summary>
    public static TimeZoneInfo ParseZone(string? text)
    {
        if (string.IsNullOrEmpty(text) || text is "Z" or "UTC" or "GMT" or "Etc/UTC")
        {
            return TimeZoneInfo.Utc;
        }

        if (text[0] is '+' or '-' && TryParseOffset(text, 0, out var offset, out var used) && used == text.Length)
        {
            return TimeZoneInfo.CreateCustomTimeZone(text, offset, text, text);
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(text);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw SearchException.IllegalArgument($"Unknown time-zone ID: {text}");
        }
    }

    /// <summary>Local wall-clock time in <paramref name="zone"/> -> UTC epoch milliseconds.</summary>
    public static long ToEpochMillis(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone == TimeZoneInfo.Utc)
        {
            return new DateTimeOffset(local, TimeSpan.Zero).ToUnixTimeMilliseconds();
        }

        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30); // a wall-clock time skipped by a DST change: take the next valid one
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }

    public static DateTime ToLocal(long epochMillis, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTimeOffset.FromUnixTimeMilliseconds(epochMillis).UtcDateTime, zone);

    private static bool TryParseOne(string text, string format, bool roundUp, TimeZoneInfo zone, out long epochMillis)
    {
        epochMillis = 0;
        switch (format)
        {
            case "strict_date_optional_time" or "strict_date_optional_time_nanos" or "date_optional_time"
                or "strict_date_time" or "date_time" or "strict_date_time_no_millis" or "date_time_no_millis"
                or "strict_date" or "date" or "strict_date_hour_minute_second" or "date_hour_minute_second"
                or "strict_year_month_day" or "year_month_day" or "strict_year_month" or "year_month" or "strict_year" or "year":
                return TryParseIso(text, roundUp, zone, out epochMillis);
            case "epoch_millis":
                return TryParseEpoch(text, 1, out epochMillis);
            case "epoch_second":
                return TryParseEpoch(text, 1000, out epochMillis);
            default:
                if (format.Length > 0 && format.All(c => char.IsAsciiLetter(c) || c is '-' or ':' or '.' or '/' or ' ' or '\'' or ','))
                {
                    return TryParsePattern(text, format, roundUp, zone, out epochMillis);
                }

                throw SearchException.Unsupported($"date format [{format}]");
        }
    }

    private static bool TryParseEpoch(string text, long unit, out long epochMillis)
    {
        epochMillis = 0;
        if (text.Length == 0 || !text.All(c => char.IsAsciiDigit(c) || c is '-' or '.'))
        {
            return false;
        }

        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        epochMillis = (long)Math.Floor(value * unit);
        return true;
    }

    /// <summary><c>yyyy[-MM[-dd[THH[:mm[:ss[.fraction]]]]]][Z|±HH[:mm]]</c>.</summary>
    private static bool TryParseIso(string s, bool roundUp, TimeZoneInfo zone, out long epochMillis)
    {
        epochMillis = 0;
        var i = 0;
        if (!Digits(s, ref i, 4, out var year))
        {
            return false;
        }

        // All digits and longer than a year: epoch milliseconds, not a date.
        if (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            return false;
        }

        int month = 1, day = 1;
        int? hour = null, minute = null, second = null, millis = null;
        if (Next(s, i, '-'))
        {
            i++;
            if (!Digits(s, ref i, 2, out month))
            {
                return false;
            }

            if (Next(s, i, '-'))
            {
                i++;
                if (!Digits(s, ref i, 2, out day))
                {
                    return false;
                }

                if (Next(s, i, 'T') || Next(s, i, 't'))
                {
                    i++;
                    if (!Digits(s, ref i, 2, out var h))
                    {
                        return false;
                    }

                    hour = h;
                    if (Next(s, i, ':'))
                    {
                        i++;
                        if (!Digits(s, ref i, 2, out var m))
                        {
                            return false;
                        }

                        minute = m;
                        if (Next(s, i, ':'))
                        {
                            i++;
                            if (!Digits(s, ref i, 2, out var sec))
                            {
                                return false;
                            }

                            second = sec;
                            if (Next(s, i, '.') || Next(s, i, ','))
                            {
                                i++;
                                var start = i;
                                while (i < s.Length && char.IsAsciiDigit(s[i]))
                                {
                                    i++;
                                }

                                if (i == start || i - start > 9)
                                {
                                    return false;
                                }

                                var fraction = s.Substring(start, Math.Min(3, i - start)).PadRight(3, '0');
                                millis = int.Parse(fraction, CultureInfo.InvariantCulture);
                            }
                        }
                    }
                }
            }
        }

        var offset = (TimeSpan?)null;
        if (i < s.Length)
        {
            if ((s[i] is 'Z' or 'z') && i == s.Length - 1)
            {
                offset = TimeSpan.Zero;
                i++;
            }
            else if (hour is not null && s[i] is '+' or '-' && TryParseOffset(s, i, out var parsed, out var used))
            {
                offset = parsed;
                i += used;
            }
        }

        // Year 0000 is valid ISO but before DateTime's first year: not a date this parser can hold.
        if (i != s.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour is > 23 || minute is > 59 || second is > 59)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour ?? (roundUp ? 23 : 0), minute ?? (roundUp ? 59 : 0), second ?? (roundUp ? 59 : 0))
            .AddMilliseconds(millis ?? (roundUp ? 999 : 0));
        try
        {
            epochMillis = offset is { } o
                ? new DateTimeOffset(local, o).ToUnixTimeMilliseconds()
                : ToEpochMillis(local, zone);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // year 1 or 9999 moved past the calendar by the offset
        }
    }

    private static bool TryParsePattern(string text, string pattern, bool roundUp, TimeZoneInfo zone, out long epochMillis)
    {
        epochMillis = 0;
        var net = pattern.Replace("uuuu", "yyyy", StringComparison.Ordinal).Replace("SSS", "fff", StringComparison.Ordinal);
        if (!DateTime.TryParseExact(text, net, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        if (roundUp)
        {
            var hasHour = pattern.Contains('H', StringComparison.Ordinal);
            var hasMinute = pattern.Contains('m', StringComparison.Ordinal);
            var hasSecond = pattern.Contains('s', StringComparison.Ordinal);
            var hasMillis = pattern.Contains('S', StringComparison.Ordinal);
            parsed = new DateTime(parsed.Year, parsed.Month, parsed.Day, hasHour ? parsed.Hour : 23, hasMinute ? parsed.Minute : 59, hasSecond ? parsed.Second : 59)
                .AddMilliseconds(hasMillis ? parsed.Millisecond : 999);
        }

        epochMillis = ToEpochMillis(parsed, zone);
        return true;
    }

    private static bool TryParseOffset(string s, int i, out TimeSpan offset, out int used)
    {
        offset = default;
        used = 0;
        var j = i + 1;
        if (!Digits(s, ref j, 2, out var hours))
        {
            return false;
        }

        var minutes = 0;
        if (Next(s, j, ':'))
        {
            j++;
            if (!Digits(s, ref j, 2, out minutes))
            {
                return false;
            }
        }
        else if (j + 2 <= s.Length && char.IsAsciiDigit(s[j]))
        {
            if (!Digits(s, ref j, 2, out minutes))
            {
                return false;
            }
        }

        if (hours > 18 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0) * (s[i] == '-' ? -1 : 1);
        used = j - i;
        return true;
    }

    private static bool Next(string s, int i, char c) => i < s.Length && s[i] == c;

    private static bool Digits(string s, ref int i, int count, out int value)
    {
        value = 0;
        if (i + count > s.Length)
        {
            return false;
        }

        for (var k = 0; k < count; k++)
        {
            var c = s[i + k];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        i += count;
        return true;
    }
}
