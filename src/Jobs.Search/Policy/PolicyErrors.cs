using Jobs.Core.Search;

namespace Jobs.Search.Policy;

/// <summary>The refusals of the search policy: Elasticsearch's <c>illegal_argument_exception</c>, naming where.</summary>
internal static class PolicyErrors
{
    public static SearchException Script(string construct, string at) =>
        SearchException.IllegalArgument($"[{construct}] is not allowed: scripts and stored scripts cannot be run through this API (at {at})");

    public static SearchException TermsLookup(string at) =>
        SearchException.IllegalArgument($"a terms lookup reads another index and is not allowed (at {at})");

    public static SearchException OtherIndex(string at) =>
        SearchException.IllegalArgument($"documents of another index cannot be referenced (at {at})");

    public static SearchException Global(string at) =>
        SearchException.IllegalArgument($"a [global] aggregation would read other users' jobs and is not allowed (at {at})");

    public static SearchException Unscoped(string key) =>
        SearchException.IllegalArgument($"[{key}] searches outside the request's query, so it could read other users' jobs, and is not allowed (at {key})");

    public static SearchException Hidden(string key, string field) =>
        SearchException.IllegalArgument($"[{key}] may not read the field [{field}]; name the fields you need");

    public static SearchException Wrapper(string at) =>
        SearchException.IllegalArgument($"[wrapper] hides the query it runs and is not allowed (at {at})");
}
