using System.Text.Json.Nodes;
using Jobs.Core.Search;

namespace Jobs.Embedded.Search;

/// <summary>
/// Elasticsearch reports an error raised while a shard builds or runs the search (a value a field
/// cannot take, a text field to sort on, a window over 10,000, …) as a
/// <c>search_phase_execution_exception</c> "all shards failed" whose <c>root_cause</c> and
/// <c>failed_shards</c> carry the shard's error. Errors in the request's syntax, and constructs
/// this store refuses (<c>parsing_exception</c>), are not wrapped.
/// </summary>
internal static class ShardFailure
{
    public const string Type = "search_phase_execution_exception";

    public static SearchException Wrap(SearchException error)
    {
        if (error.Body is not null || error.Type is Type or "parsing_exception")
        {
            return error;
        }

        JsonObject Cause() => new() { ["type"] = error.Type, ["reason"] = error.Reason, ["index"] = JobSearchService.IndexName };
        return new SearchException(Type, "all shards failed", error.Status)
        {
            Body = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["root_cause"] = new JsonArray(Cause()),
                    ["type"] = Type,
                    ["reason"] = "all shards failed",
                    ["phase"] = "query",
                    ["grouped"] = true,
                    ["failed_shards"] = new JsonArray(new JsonObject
                    {
                        ["shard"] = 0,
                        ["index"] = JobSearchService.IndexName,
                        ["node"] = "embedded",
                        ["reason"] = Cause(),
                    }),
                },
                ["status"] = error.Status,
            },
        };
    }
}
