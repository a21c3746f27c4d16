using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Search.Policy;

/// <summary>
/// The entry point in front of every store (the API's <c>_search</c>, <c>_count</c> and job list):
/// parse the caller's body, apply <see cref="SearchPolicy"/>, write it back for the store. Throws
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
        SearchRequestWriter.Write(SearchPolicy.Apply(SearchRequestParser.Parse(request), caller));

    /// <summary>Checks and scopes a <c>_count</c> body (only <c>query</c>, <c>min_score</c> and <c>terminate_after</c>).</summary>
    public static JsonObject PrepareCount(JsonObject? request, SearchCaller caller) =>
        SearchRequestWriter.Write(SearchPolicy.Apply(SearchRequestParser.ParseCount(request), caller));
}
