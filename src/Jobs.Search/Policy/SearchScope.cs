using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Core.Storage;

namespace Jobs.Search.Policy;

/// <summary>
/// The entry point in front of every store (the API's <c>_search</c>, <c>_count</c> and job list):
/// parse the caller's body, apply <see cref="SearchPolicy"/>, hand the result to the store (parsed,
/// or written back to JSON for a store that parses on its own). Throws
/// <see cref="SearchException"/> with Elasticsearch's error for a request to refuse.
/// </summary>
public static class SearchScope
{
    /// <summary>The update-token hash: a field no search response may return.</summary>
    public const string HiddenField = SearchPolicy.HiddenField;

    /// <summary>Removes every hidden field (<see cref="SearchPolicy.HiddenFields"/>) from a job's <c>_source</c>.</summary>
    public static JsonObject RemoveHidden(JsonObject source)
    {
        foreach (var field in SearchPolicy.HiddenFields)
        {
            source.Remove(field);
        }

        return source;
    }

    /// <summary>Checks and scopes a <c>_search</c> body; returns a new object, the input is not changed.</summary>
    public static JsonObject PrepareSearch(JsonObject request, SearchCaller caller) =>
        SearchRequestWriter.Write(ScopeSearch(request, caller));

    /// <summary>Checks and scopes a <c>_count</c> body (only <c>query</c>, <c>min_score</c> and <c>terminate_after</c>).</summary>
    public static JsonObject PrepareCount(JsonObject? request, SearchCaller caller) =>
        SearchRequestWriter.Write(ScopeCount(request, caller));

    /// <summary>Checks, scopes and runs a <c>_search</c> body on the store, parsing it once (<see cref="IParsedSearchStore"/>).</summary>
    public static Task<JsonObject> SearchAsync(IJobStore store, JsonObject request, SearchCaller caller, CancellationToken cancellationToken)
    {
        var scoped = ScopeSearch(request, caller);
        return store is IParsedSearchStore parsed
            ? parsed.SearchAsync(scoped, cancellationToken)
            : store.SearchAsync(SearchRequestWriter.Write(scoped), cancellationToken);
    }

    /// <summary>Checks, scopes and runs a <c>_count</c> body on the store, parsing it once (<see cref="IParsedSearchStore"/>).</summary>
    public static Task<JsonObject> CountAsync(IJobStore store, JsonObject? request, SearchCaller caller, CancellationToken cancellationToken)
    {
        var scoped = ScopeCount(request, caller);
        return store is IParsedSearchStore parsed
            ? parsed.CountAsync(scoped, cancellationToken)
            : store.CountAsync(SearchRequestWriter.Write(scoped), cancellationToken);
    }

    private static SearchRequest ScopeSearch(JsonObject request, SearchCaller caller) =>
        SearchPolicy.Apply(SearchRequestParser.Parse(request), caller);

    private static CountRequest ScopeCount(JsonObject? request, SearchCaller caller) =>
        SearchPolicy.Apply(SearchRequestParser.ParseCount(request), caller);
}
