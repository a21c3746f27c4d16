using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Search.Queries;

namespace Jobs.Search.Tests;

/// <summary>Request text in, parsed model or Elasticsearch error out: no index anywhere.</summary>
internal static class Parse
{
    public static JsonObject Body(string json) => JsonNode.Parse(json)!.AsObject();

    public static SearchRequest Request(string json) => SearchRequestParser.Parse(Body(json));

    public static QueryNode Query(string json) => DslQueryParser.Parse(JsonNode.Parse(json));

    /// <summary>The error a <c>_search</c> body gets while parsing.</summary>
    public static SearchException SearchError(string json) => Assert.Throws<SearchException>(() => Request(json));

    public static SearchException QueryError(string json) => Assert.Throws<SearchException>(() => Query(json));

    /// <summary>A JSON value's text (the nodes keep values as written).</summary>
    public static string Text(JsonNode? value) => value?.ToJsonString() ?? "null";
}
