using System.Globalization;
using Jobs.Core.Search;

namespace Jobs.Search.Queries;

/// <summary>
/// Elasticsearch's <c>minimum_should_match</c> (Query DSL > minimum_should_match parameter):
/// an integer (<c>3</c>), a negative integer (<c>-2</c>: all but two), a percentage (<c>75%</c>,
/// rounded down), a negative percentage (<c>-25%</c>), a combination (<c>3&lt;90%</c>: all of up to
/// three clauses, 90% above) or several (<c>2&lt;-25% 9&lt;-3</c>). The result is not capped at the
/// number of optional clauses: asking for more than there are matches nothing, as in Elasticsearch.
/// </summary>
public static class MinimumShouldMatchSpec
{
    /// <summary>Throws Elasticsearch's error for a spec it could not compute.</summary>
    public static void Check(string spec) => Calculate(3, spec);

    public static int Calculate(int optionalClauses, string spec)
    {
        var result = optionalClauses;
        spec = spec.Trim();
        if (spec.Contains('<', StringComparison.Ordinal))
        {
            var normalized = System.Text.RegularExpressions.Regex.Replace(spec, @"(\s+<\s*)|(\s*<\s+)", "<");
            foreach (var part in normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var pieces = part.Split('<');
                if (pieces.Length != 2)
                {
                    throw Invalid(spec);
                }

                if (optionalClauses <= ParseInt(pieces[0], spec))
                {
                    return result;
                }

                result = Calculate(optionalClauses, pieces[1]);
            }

            return result;
        }

        if (spec.EndsWith('%'))
        {
            var percent = ParseInt(spec[..^1], spec);
            var calc = result * percent * (1 / 100f); // float, as Elasticsearch computes it
            result = calc < 0 ? result + (int)calc : (int)calc;
        }
        else
        {
            var count = ParseInt(spec, spec);
            result = count < 0 ? result + count : count;
        }

        return result < 0 ? 0 : result;
    }

    private static int ParseInt(string text, string spec) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(spec);

    private static SearchException Invalid(string spec) =>
        new("number_format_exception", $"For input string: \"{spec}\" (minimum_should_match)");
}
