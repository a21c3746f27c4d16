using System.Globalization;
using System.Text.RegularExpressions;

namespace Jobs.Cli.Inputs;

/// <summary>Durations on the command line: <c>90</c> (seconds), <c>30s</c>, <c>5m</c>, <c>2h</c>, <c>1h30m</c>, or <c>hh:mm:ss</c>.</summary>
public static partial class DurationText
{
    public static TimeSpan Parse(string text, string option)
    {
        var value = text.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var match = Units().Match(value);
        if (match.Success && match.Length > 0)
        {
            double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
            return TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
        }

        if (value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            return span;
        }

        throw new CliException(ExitCodes.Usage, $"{option} '{text}' is not a duration (for example 90, 30s, 5m, 1h30m or 00:05:00)");
    }

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex Units();
}
