using Jobs.Core.Search;
using Jobs.Search.Dates;

namespace Jobs.Search.Tests;

/// <summary>Date math and date formats as a <c>range</c> query or an aggregation reads them, against a fixed "now".</summary>
public class DateMathTests
{
    /// <summary>2026-03-18T14:25:36.789Z, a Wednesday.</summary>
    private static readonly long Now = DateTimeOffset.Parse("2026-03-18T14:25:36.789Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static string Utc(long millis) => EsDates.Format(millis);

    private static long Math(string text, bool roundUp = false, string? zone = null, string? format = null) =>
        DateMath.Parse(text, format, roundUp, EsDates.ParseZone(zone), Now);

    [Theory]
    [InlineData("now", false, "2026-03-18T14:25:36.789Z")]
    [InlineData("now-1d", false, "2026-03-17T14:25:36.789Z")]
    [InlineData("now+2h", false, "2026-03-18T16:25:36.789Z")]
    [InlineData("now-1d/d", false, "2026-03-17T00:00:00.000Z")]
    [InlineData("now-1d/d", true, "2026-03-17T23:59:59.999Z")]
    [InlineData("now/M", false, "2026-03-01T00:00:00.000Z")]
    [InlineData("now/M", true, "2026-03-31T23:59:59.999Z")]
    [InlineData("now/w", false, "2026-03-16T00:00:00.000Z")]
    [InlineData("now/y", false, "2026-01-01T00:00:00.000Z")]
    [InlineData("now/H", false, "2026-03-18T14:00:00.000Z")]
    [InlineData("now/m", false, "2026-03-18T14:25:00.000Z")]
    [InlineData("now/s", true, "2026-03-18T14:25:36.999Z")]
    [InlineData("now-1M+1w", false, "2026-02-25T14:25:36.789Z")]
    [InlineData("now-d", false, "2026-03-17T14:25:36.789Z")]
    [InlineData("2026-01-31||+1M", false, "2026-02-28T00:00:00.000Z")]
    [InlineData("2026-01-15T10:00:00Z||/d", false, "2026-01-15T00:00:00.000Z")]
    [InlineData("2026-01-15||", false, "2026-01-15T00:00:00.000Z")]
    public void Date_math_adds_subtracts_and_rounds_from_now_or_an_anchor(string text, bool roundUp, string expected)
    {
        Assert.Equal(expected, Utc(Math(text, roundUp)));
    }

    [Fact]
    public void Rounding_happens_in_the_time_zone()
    {
        Assert.Equal("2026-03-17T23:00:00.000Z", Utc(Math("now/d", zone: "+01:00")));
        Assert.Equal("2026-03-18T04:00:00.000Z", Utc(Math("now/d", zone: "-04:00")));
    }

    [Theory]
    [InlineData("2026-03-18", false, "2026-03-18T00:00:00.000Z")]
    [InlineData("2026-03-18", true, "2026-03-18T23:59:59.999Z")]
    [InlineData("2026-03", true, "2026-03-01T23:59:59.999Z")]
    [InlineData("2026", false, "2026-01-01T00:00:00.000Z")]
    [InlineData("2026-03-18T10:20", false, "2026-03-18T10:20:00.000Z")]
    [InlineData("2026-03-18T10:20:30.5Z", false, "2026-03-18T10:20:30.500Z")]
    [InlineData("2026-03-18T10:20:30.123456789Z", false, "2026-03-18T10:20:30.123Z")]
    [InlineData("2026-03-18T10:20:30+02:00", false, "2026-03-18T08:20:30.000Z")]
    [InlineData("2026-03-18T10:20:30-0130", false, "2026-03-18T11:50:30.000Z")]
    [InlineData("1773843936789", false, "2026-03-18T14:25:36.789Z")]
    public void The_default_format_reads_iso_dates_and_epoch_milliseconds(string text, bool roundUp, string expected)
    {
        Assert.True(EsDates.TryParse(text, null, roundUp, TimeZoneInfo.Utc, out var millis));
        Assert.Equal(expected, Utc(millis));
    }

    [Fact]
    public void A_date_without_an_offset_is_read_in_the_requests_time_zone()
    {
        Assert.True(EsDates.TryParse("2026-03-18T10:00:00", null, false, EsDates.ParseZone("+05:30"), out var local));
        Assert.Equal("2026-03-18T04:30:00.000Z", Utc(local));

        Assert.True(EsDates.TryParse("2026-03-18T10:00:00Z", null, false, EsDates.ParseZone("+05:30"), out var explicitOffset));
        Assert.Equal("2026-03-18T10:00:00.000Z", Utc(explicitOffset));
    }

    [Theory]
    [InlineData("1773843936", "epoch_second", "2026-03-18T14:25:36.000Z")]
    [InlineData("18/03/2026", "dd/MM/yyyy", "2026-03-18T00:00:00.000Z")]
    [InlineData("2026-03-18 10:20", "uuuu-MM-dd HH:mm", "2026-03-18T10:20:00.000Z")]
    [InlineData("18/03/2026", "yyyy-MM-dd||dd/MM/yyyy", "2026-03-18T00:00:00.000Z")]
    public void Named_formats_patterns_and_alternatives(string text, string format, string expected)
    {
        Assert.True(EsDates.TryParse(text, format, false, TimeZoneInfo.Utc, out var millis));
        Assert.Equal(expected, Utc(millis));
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("2026-03-18T24:00")]
    [InlineData("yesterday")]
    [InlineData("2026-03-18T10:00:00+19:00")]
    [InlineData("0000-01-01")]
    [InlineData("9999-12-31T23:00:00-05:00")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("")]
    public void Dates_that_are_not_dates_are_not_parsed(string text)
    {
        Assert.False(EsDates.TryParse(text, null, false, TimeZoneInfo.Utc, out _));
    }

    [Fact]
    public void A_date_the_time_zone_moves_past_the_calendar_is_not_parsed()
    {
        Assert.False(EsDates.TryParse("9999-12-31T23:00:00", null, false, EsDates.ParseZone("-05:00"), out _));
    }

    [Theory]
    [InlineData("yesterday", "failed to parse date field [yesterday] with format [strict_date_optional_time||epoch_millis]")]
    [InlineData("now*2d", "failed to parse date field [now*2d]: operator not supported for date math [*2d]")]
    [InlineData("now-1", "failed to parse date field [now-1]: truncated date math [-1]")]
    [InlineData("now-1x", "failed to parse date field [now-1x]: unit [x] not supported for date math")]
    [InlineData("now/q", "failed to parse date field [now/q]: rounding `/q` is not supported")]
    [InlineData("not-a-date||+1d", "failed to parse date field [not-a-date] with format [strict_date_optional_time||epoch_millis]")]
    public void Bad_date_math_is_a_parse_exception(string text, string reason)
    {
        var e = Assert.Throws<SearchException>(() => Math(text));

        Assert.Equal(("parse_exception", reason, 400), (e.Type, e.Reason, e.Status));
    }

    [Theory]
    [InlineData("now-99999999999d")]
    [InlineData("now+20000y")]
    [InlineData("now-2147483647M")]
    [InlineData("99999999999999999||+1d")]
    [InlineData("-99999999999999999||/d")]
    public void Date_math_past_the_calendars_end_is_a_parse_exception_not_a_crash(string text)
    {
        var e = Assert.Throws<SearchException>(() => Math(text));

        Assert.Equal("parse_exception", e.Type);
    }

    [Theory]
    [InlineData("Z", 0)]
    [InlineData("UTC", 0)]
    [InlineData("+01:00", 60)]
    [InlineData("-0530", -330)]
    public void Time_zones_are_offsets_or_utc(string zone, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), EsDates.ParseZone(zone).BaseUtcOffset);
    }

    [Fact]
    public void An_unknown_time_zone_is_an_illegal_argument()
    {
        var e = Assert.Throws<SearchException>(() => EsDates.ParseZone("Mars/Olympus"));

        Assert.Equal(("illegal_argument_exception", "Unknown time-zone ID: Mars/Olympus"), (e.Type, e.Reason));
    }

    [Theory]
    [InlineData(null, "Z", "2026-03-18T14:25:36.789Z")]
    [InlineData(null, "+01:00", "2026-03-18T15:25:36.789+01:00")]
    [InlineData("epoch_millis", "Z", "1773843936789")]
    [InlineData("epoch_second", "Z", "1773843936")]
    [InlineData("strict_date", "Z", "2026-03-18")]
    [InlineData("yyyy-MM-dd'T'HH:mm", "Z", "2026-03-18T14:25")]
    [InlineData("strict_date_time_no_millis", "-02:00", "2026-03-18T12:25:36-02:00")]
    public void Dates_print_as_elasticsearch_prints_key_as_string(string? format, string zone, string expected)
    {
        Assert.Equal(expected, DatePrinter.Print(Now, EsDates.ParseZone(zone), format));
    }
}
