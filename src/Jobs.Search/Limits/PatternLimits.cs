using Jobs.Core.Search;

namespace Jobs.Search.Limits;

/// <summary>
/// Bounds a wildcard or prefix pattern before any index turns it into an automaton: its length
/// (<c>index.max_regex_length</c>) and the states its deterministic automaton would have
/// (Elasticsearch's <c>too_complex_to_determinize_exception</c>). A pattern such as <c>*a??????????????????</c>
/// is short but determinizes into millions of states; counting them first, with a cut-off, costs
/// at most the limit.
/// </summary>
public static class PatternLimits
{
    /// <summary>Whether an error is a limit of this class (never swallowed by a lenient query: it would only hide the cost).</summary>
    public static bool IsLimit(SearchException error) =>
        error.Type == TooComplexType || error.Reason.StartsWith(LengthPrefix, StringComparison.Ordinal);

    private const string TooComplexType = "too_complex_to_determinize_exception";
    private const string LengthPrefix = "The length of the [";

    public static void CheckLength(string pattern, string query, SearchLimits limits)
    {
        if (pattern.Length > limits.MaxRegexLength)
        {
            throw SearchException.IllegalArgument(
                $"{LengthPrefix}{query}] pattern [{pattern.Length}] has exceeded the allowed maximum of [{limits.MaxRegexLength}]. "
                + $"This maximum can be set by changing the [{SearchLimits.SectionName}:{nameof(SearchLimits.MaxRegexLength)}] setting.");
        }
    }

    /// <summary>A wildcard pattern (<c>*</c>, <c>?</c>, <c>\</c> escapes): its length, then its automaton's states.</summary>
    public static void CheckWildcard(string pattern, bool caseInsensitive, SearchLimits limits)
    {
        CheckLength(pattern, "wildcard", limits);
        var text = caseInsensitive ? pattern.ToLowerInvariant() : pattern;
        if (WildcardAutomaton.CountStates(text, limits.MaxDeterminizedStates) > limits.MaxDeterminizedStates)
        {
            throw new SearchException(
                TooComplexType,
                $"Determinizing the automaton of the [wildcard] pattern [{Shorten(pattern)}] would result in more than {limits.MaxDeterminizedStates} states.");
        }
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
