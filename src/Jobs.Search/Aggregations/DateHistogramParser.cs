using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobs.Core.Search;
using Jobs.Search.Queries;

namespace Jobs.Search.Aggregations;

/// <summary>
/// The <c>date_histogram</c> aggregation's parameters (Aggregations > Date histogram):
/// <c>calendar_interval</c> (one unit: minute/1m … year/1y) or <c>fixed_interval</c> (any number
/// of ms, s, m, h, d), <c>offset</c>, <c>time_zone</c>, <c>format</c>, <c>min_doc_count</c>
/// (default 0: empty buckets between the first and the last are returned),
/// <c>extended_bounds</c>, <c>keyed</c>, <c>order</c>, <c>missing</c>.
/// </summary>
internal static partial class DateHistogramParser
{
    public static DateHistogramSpec Parse(string name, JsonObject body)
    {
        string? field = null, format = null;
        char? calendar = null;
        long fixedMillis = 0, offset = 0;
        var zone = TimeZoneInfo.Utc;
        long minDocCount = 0;
        JsonValue? extendedMin = null, extendedMax = null, missing = null;
        var keyed = false;
        IReadOnlyList<BucketOrder> order = [new("_key", false)];
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "field": field = JsonScalars.String(value, key); break;
                case "calendar_interval": calendar = CalendarUnit(JsonScalars.String(value, key) ?? ""); break;
                case "fixed_interval": fixedMillis = FixedInterval(JsonScalars.String(value, key) ?? ""); break;
                case "offset": offset = Offset(value); break;
                case "time_zone": zone = EsDates.ParseZone(JsonScalars.String(value, key)); break;
                case "format": format = JsonScalars.String(value, key); break;
                case "keyed": keyed = JsonScalars.Bool(value, key) ?? false; break;
                case "order": order = AggregationParser.ParseOrder(value, "date_histogram"); break;
                case "missing": missing = value is JsonValue mv && JsonScalars.IsScalar(mv) ? mv : throw SearchException.Parsing("[date_histogram] missing must be a value"); break;
                case "min_doc_count":
                    minDocCount = JsonScalars.Int(value, key) ?? 0;
                    if (minDocCount < 0)
                    {
                        throw SearchException.IllegalArgument($"[minDocCount] must be greater than or equal to 0. Found [{minDocCount}] in [{name}]");
                    }

                    break;
                case "extended_bounds":
                    if (value is not JsonObject bounds)
                    {
                        throw SearchException.Parsing("[extended_bounds] must be an object with [min] and [max]");
                    }

                    extendedMin = bounds["min"] as JsonValue;
                    extendedMax = bounds["max"] as JsonValue;
                    break;
                case "hard_bounds" or "script":
                    throw SearchException.Unsupported($"date_histogram.{key}");
                case "interval":
                    throw new SearchException("x_content_parse_exception", "[date_histogram] unknown field [interval]: use [calendar_interval] or [fixed_interval]");
                default:
                    throw SearchException.Parsing($"[date_histogram] unknown field [{key}]");
            }
        }

        if (calendar is not null && fixedMillis > 0)
        {
            throw SearchException.IllegalArgument("Cannot use [fixed_interval] with [calendar_interval] configuration option.");
        }

        if (calendar is null && fixedMillis == 0)
        {
            throw SearchException.IllegalArgument("Invalid interval specified, must be non-null and non-empty");
        }

        if (field is null)
        {
            throw SearchException.IllegalArgument($"Required one of fields [field, script], but none were specified. (aggregation [{name}])");
        }

        return new DateHistogramSpec(name, field, calendar, fixedMillis, offset, zone, format, minDocCount, extendedMin, extendedMax, keyed, order, missing);
    }

    private static char CalendarUnit(string text) => text switch
    {
        "minute" or "1m" => 'm',
        "hour" or "1h" => 'h',
        "day" or "1d" => 'd',
        "week" or "1w" => 'w',
        "month" or "1M" => 'M',
        "quarter" or "1q" => 'q',
        "year" or "1y" => 'y',
        _ => throw new SearchException(
            "x_content_parse_exception",
            $"[date_histogram] failed to parse field [calendar_interval]: The supplied interval [{text}] could not be parsed as a calendar interval."),
    };

    private static long FixedInterval(string text) =>
        Duration(text) is { } millis && millis > 0
            ? millis
            : throw new SearchException(
                "x_content_parse_exception",
                $"[date_histogram] failed to parse field [fixed_interval]: failed to parse setting [date_histogram.fixedInterval] with value [{text}] as a time value: unit is missing or unrecognized");

    private static long Offset(JsonNode? node)
    {
        if (node is JsonValue v && JsonScalars.TryNumber(v, out var number) && v.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return (long)number;
        }

        var text = JsonScalars.String(node, "offset") ?? "";
        var sign = text.StartsWith('-') ? -1 : 1;
        var magnitude = Duration(text.TrimStart('+', '-'));
        return magnitude is { } millis
            ? sign * millis
            : throw SearchException.IllegalArgument($"failed to parse setting [date_histogram.offset] with value [{text}] as a time value: unit is missing or unrecognized");
    }

    /// <summary>Elasticsearch time units: <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>.</summary>
    private static long? Duration(string text)
    {
        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var amount = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "ms" => amount,
            "s" => amount * 1000,
            "m" => amount * 60_000,
            "h" => amount * 3_600_000,
            "d" => amount * 86_400_000,
            _ => null,
        };
    }

    [GeneratedRegex("^([0-9]+)(ms|s|m|h|d)$")]
    private static partial Regex DurationPattern();
}
