using System.ComponentModel.DataAnnotations;

namespace Jobs.Search.Limits;

/// <summary>
/// The bounds every search runs within (section <c>Jobs:Search</c>, environment
/// <c>Jobs__Search__…</c>), named after the Elasticsearch settings they mirror:
/// <code>
/// "Jobs": { "Search": { "Timeout": "00:00:01", "MaxClauseCount": 1024, "MaxRegexLength": 1000, "MaxDeterminizedStates": 10000 } }
/// </code>
/// The embedded store enforces them; an Elasticsearch cluster enforces its own settings.
/// </summary>
public sealed class SearchLimits
{
    public const string SectionName = "Jobs:Search";

    /// <summary>
    /// How long one search may run before it stops and answers <c>timed_out: true</c> with the hits
    /// found so far (a request's own <c>timeout</c> may ask for less). One second keeps any query
    /// from holding a core for longer.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>As <c>indices.query.bool.max_clause_count</c>: clauses in one query, nested ones counted.</summary>
    [Range(1, 1 << 20)]
    public int MaxClauseCount { get; set; } = 1024;

    /// <summary>As <c>index.max_regex_length</c>: the longest wildcard, prefix or regular expression pattern.</summary>
    [Range(1, 1 << 20)]
    public int MaxRegexLength { get; set; } = 1000;

    /// <summary>As Lucene's <c>TooComplexToDeterminizeException</c> limit: states of a pattern's automaton.</summary>
    [Range(1, 1 << 24)]
    public int MaxDeterminizedStates { get; set; } = 10_000;

    /// <summary>As <c>index.max_terms_count</c>: values in one <c>terms</c> query.</summary>
    [Range(1, 1 << 24)]
    public int MaxTermsCount { get; set; } = 65_536;
}
