using System.Globalization;
using System.Text;
using Jobs.Core.Search;

namespace Jobs.Search.Dates;

/// <summary>
/// Dates printed the way Elasticsearch prints them in <c>key_as_string</c> and
/// <c>value_as_string</c>: by default the field's first format, <c>strict_date_optional_time</c>
/// (<c>2026-11-22T10:00:00.000Z</c>, or with the time zone's offset such as
/// <c>2026-11-22T00:00:00.000-01:00</c>); <c>epoch_millis</c>, <c>epoch_second</c>, the ISO
/// names, or a Java pattern (<c>yyyy-MM-dd</c>, <c>HH:mm</c>, <c>'T'</c>, <c>XXX</c>).
/// </summary>
public static class DatePrinter
{
    public static string Print(long epochMillis, TimeZoneInfo zone, string? format)
    {
        var name = (format ?? EsDates.DefaultFormat).Split("||")[0].Trim();
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(epochMillis);
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        return name switch
        {
            "strict_date_optional_time" or "date_optional_time" or "strict_date_time" or "date_time" or "strict_date_optional_time_nanos" =>
                local.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + Offset(local.Offset),
            "strict_date_time_no_millis" or "date_time_no_millis" =>
                local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + Offset(local.Offset),
            "strict_date" or "date" or "strict_year_month_day" or "year_month_day" => local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "epoch_millis" => epochMillis.ToString(CultureInfo.InvariantCulture),
            "epoch_second" => Math.Floor(epochMillis / 1000d).ToString(CultureInfo.InvariantCulture),
            _ => Pattern(local, name),
        };
    }

    private static string Offset(TimeSpan offset) =>
        offset == TimeSpan.Zero ? "Z" : (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture);

    /// <summary>The Java letters a date pattern commonly uses; anything else is refused by name.</summary>
    private static string Pattern(DateTimeOffset local, string pattern)
    {
        var output = new StringBuilder();
        for (var i = 0; i < pattern.Length;)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var end = pattern.IndexOf('\'', i + 1);
                end = end < 0 ? pattern.Length : end;
                output.Append(pattern, i + 1, end - i - 1);
                i = end + 1;
                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                output.Append(c);
                i++;
                continue;
            }

            var run = 1;
            while (i + run < pattern.Length && pattern[i + run] == c)
            {
                run++;
            }

            output.Append(c switch
            {
                'y' or 'u' => run == 2 ? (local.Year % 100).ToString("00", CultureInfo.InvariantCulture) : local.Year.ToString(new string('0', Math.Max(run, 4)), CultureInfo.InvariantCulture),
                'M' => local.Month.ToString(new string('0', run), CultureInfo.InvariantCulture),
                'd' => local.Day.ToString(new string('0', run), CultureInfo.InvariantCulture),
                'H' => local.Hour.ToString(new string('0', run), CultureInfo.InvariantCulture),
                'm' => local.Minute.ToString(new string('0', run), CultureInfo.InvariantCulture),
                's' => local.Second.ToString(new string('0', run), CultureInfo.InvariantCulture),
                'S' => local.Millisecond.ToString("000", CultureInfo.InvariantCulture)[..Math.Min(run, 3)].PadRight(run, '0'),
                'X' or 'Z' or 'x' => Offset(local.Offset),
                _ => throw SearchException.Unsupported($"date format [{pattern}]"),
            });
            i += run;
        }

        return output.ToString();
    }
}
