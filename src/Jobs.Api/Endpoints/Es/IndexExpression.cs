using System.IO.Enumeration;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// An index expression of the path (<c>jobs</c>, <c>*</c>, <c>_all</c>, <c>jobs*</c>,
/// <c>jobs,other*</c>, <c>-x*</c>) resolved against the one index this surface serves. As on
/// Elasticsearch, a concrete name that does not exist is a 404 (unless
/// <c>ignore_unavailable=true</c>), a wildcard that matches nothing is simply empty, and
/// <c>expand_wildcards</c> (<c>open</c> by default) says whether wildcards reach the open index.
/// </summary>
internal readonly record struct IndexExpression(bool IncludesJobs)
{
    /// <summary>The index's name on this surface, whatever it is called inside the store.</summary>
    public const string Jobs = "jobs";

    public static IndexExpression Resolve(string? expression, IQueryCollection query)
    {
        if (string.IsNullOrWhiteSpace(expression) || expression is "_all")
        {
            return new(true);
        }

        var expand = query.TryGetValue("expand_wildcards", out var e) ? e.ToString() : "open";
        var wildcardsReachOpen = expand.Split(',').Any(v => v.Trim() is "open" or "all");
        var ignoreUnavailable = query.TryGetValue("ignore_unavailable", out var ignore) && ignore.ToString() == "true";
        var included = false;
        foreach (var raw in expression.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.StartsWith('-') && raw.Length > 1)
            {
                included &= !Matches(raw[1..], wildcardsReachOpen);
                continue;
            }

            if (raw is "_all" || raw.Contains('*', StringComparison.Ordinal))
            {
                included |= Matches(raw, wildcardsReachOpen);
            }
            else if (raw == Jobs)
            {
                included = true;
            }
            else if (!ignoreUnavailable)
            {
                throw EsErrors.IndexNotFound(raw);
            }
        }

        return new(included);
    }

    private static bool Matches(string pattern, bool wildcardsReachOpen) => pattern switch
    {
        Jobs => true,
        "_all" => wildcardsReachOpen,
        _ => wildcardsReachOpen && FileSystemName.MatchesSimpleExpression(pattern.Replace("?", "\\?", StringComparison.Ordinal), Jobs, ignoreCase: false),
    };
}
