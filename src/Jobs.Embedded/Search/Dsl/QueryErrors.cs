using Jobs.Core.Search;
using Jobs.Embedded.Indexing;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// The errors Elasticsearch raises while it turns a parsed query into a Lucene query on a shard:
/// <c>query_shard_exception</c> "failed to create query: …" (the root cause of the 400). In
/// lenient contexts (<c>lenient: true</c>, or <c>query_string</c> over every field) these make the
/// field's clause match nothing instead.
/// </summary>
internal static class QueryErrors
{
    public const string ShardType = "query_shard_exception";

    public static SearchException FailedToCreate(string reason) => new(ShardType, $"failed to create query: {reason}");

    public static SearchException FailedToParse(string query, string cause) =>
        new(ShardType, $"Failed to parse query [{query}]: {cause}");

    public static SearchException NotANumber(string text, string field) =>
        FailedToCreate($"For input string: \"{text}\" (field [{field}])");

    public static SearchException PatternOnType(string query, MappedField field) =>
        FailedToCreate($"Can only use {query} queries on keyword, text and wildcard fields - not on [{field.Name}] which is of type [{field.EsType}]");

    public static SearchException KeyedUnsupported(string query) =>
        FailedToCreate($"[{query}] queries are not currently supported on keyed [flattened] fields.");

    public static SearchException KeyedRangeNeedsBounds() =>
        FailedToCreate("[range] queries on keyed [flattened] fields must include both an upper and a lower bound.");
}
