using Jobs.Core.Search;

namespace Jobs.Search.Dates;

/// <summary>
/// Elasticsearch date math: an anchor (<c>now</c>, or a date followed by <c>||</c>) then any
/// number of <c>+N unit</c>, <c>-N unit</c> and <c>/unit</c> (round) operations, units
/// <c>y M w d h H m s</c>. Rounding goes down, or up to the last millisecond of the unit when
/// <paramref name="roundUp"/> (for <c>gt</c> and <c>lte</c>), in the given time zone.
/// </summary>
public static class DateMath
{
    public static long Parse(string text, string? format, bool roundUp, TimeZoneInfo zone, long nowMillis)
    {
        long anchor;
        string math;
        if (text.StartsWith("now", StringComparison.Ordinal))
        {
            anchor = nowMillis;
            math = text[3..];
        }
        else
        {
            var bars = text.IndexOf("||", StringComparison.Ordinal);
            if (bars < 0)
            {
                return EsDates.TryParse(text, format, roundUp, zone, out var plain)
                    ? plain
                    : throw Failed(text, format);
            }

            var anchorText = text[..bars];
            if (!EsDates.TryParse(anchorText, format, roundUp: false, zone, out anchor))
            {
                throw Failed(anchorText, format);
            }

            math = text[(bars + 2)..];
        }

        return Apply(text, math, anchor, roundUp, zone);
    }

    private static long Apply(string text, string math, long anchor, bool roundUp, TimeZoneInfo zone)
    {
        if (math.Length == 0)
        {
            return anchor;
        }

        try
        {
            return Apply(text, math, EsDates.ToLocal(anchor, zone), roundUp, zone);
        }
        catch (ArgumentOutOfRangeException)
        {
            // An anchor or a step past the calendar (year 1 to 9999): Elasticsearch's parse error, not a crash.
            throw Invalid(text, $"the date is out of range after [{math}]");
        }
    }

    private static long Apply(string text, string math, DateTime local, bool roundUp, TimeZoneInfo zone)
    {
        var i = 0;
        while (i < math.Length)
        {
            var op = math[i++];
            if (op is not ('+' or '-' or '/'))
            {
                throw Invalid(text, $"operator not supported for date math [{math}]");
            }

            var amount = 1;
            if (op != '/')
            {
                var start = i;
                while (i < math.Length && char.IsAsciiDigit(math[i]))
                {
                    i++;
                }

                if (i > start && !int.TryParse(math.AsSpan(start, i - start), System.Globalization.CultureInfo.InvariantCulture, out amount))
                {
                    throw Invalid(text, $"the amount in [{math}] is too large");
                }
            }

            if (i >= math.Length)
            {
                throw Invalid(text, $"truncated date math [{math}]");
            }

            var unit = math[i++];
            if (op == '/')
            {
                local = RoundDown(local, unit, text);
                if (roundUp)
                {
                    local = Add(local, unit, 1, text).AddMilliseconds(-1);
                }
            }
            else
            {
                local = Add(local, unit, op == '-' ? -amount : amount, text);
            }
        }

        return EsDates.ToEpochMillis(local, zone);
    }

    private static DateTime RoundDown(DateTime t, char unit, string text) => unit switch
    {
        'y' => new DateTime(t.Year, 1, 1),
        'M' => new DateTime(t.Year, t.Month, 1),
        'w' => t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)), // ISO weeks start on Monday
        'd' => t.Date,
        'h' or 'H' => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0),
        'm' => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0),
        's' => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second),
        _ => throw Invalid(text, $"rounding `/{unit}` is not supported"),
    };

    private static DateTime Add(DateTime t, char unit, int amount, string text) => unit switch
    {
        'y' => t.AddYears(amount),
        'M' => t.AddMonths(amount),
        'w' => t.AddDays(7.0 * amount),
        'd' => t.AddDays(amount),
        'h' or 'H' => t.AddHours(amount),
        'm' => t.AddMinutes(amount),
        's' => t.AddSeconds(amount),
        _ => throw Invalid(text, $"unit [{unit}] not supported for date math"),
    };

    private static SearchException Failed(string text, string? format) =>
        new("parse_exception", $"failed to parse date field [{text}] with format [{format ?? EsDates.DefaultFormat}]");

    private static SearchException Invalid(string text, string why) =>
        new("parse_exception", $"failed to parse date field [{text}]: {why}");
}
