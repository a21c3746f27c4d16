using System.Text.Json.Nodes;
using Jobs.Search.Queries;

namespace Jobs.Search.Policy;

/// <summary>
/// Writes a parsed (and scoped) request back to Elasticsearch JSON for a store: the body as the
/// caller wrote it, in its order, with the query and <c>_source</c> the policy made in their place.
/// Everything else, opaque parts included, is copied verbatim.
/// </summary>
public static class SearchRequestWriter
{
    public static JsonObject Write(SearchRequest request)
    {
        var body = request.Json.DeepClone().AsObject();
        if (request.HasQuery)
        {
            body["query"] = Write(request.Query);
        }

        if (request.Source.Json is { } source)
        {
            body["_source"] = source.DeepClone();
        }

        return body;
    }

    public static JsonObject Write(CountRequest request)
    {
        var body = request.Json.DeepClone().AsObject();
        if (request.HasQuery)
        {
            body["query"] = Write(request.Query);
        }

        return body;
    }

    /// <summary>A query: as written when the caller wrote it, else built from the node.</summary>
    public static JsonObject Write(QueryNode node) => node.Json?.DeepClone().AsObject() ?? node switch
    {
        MatchAllNode => new JsonObject { ["match_all"] = new JsonObject() },
        TermNode term => new JsonObject { ["term"] = new JsonObject { [term.Field] = term.Value.DeepClone() } },
        BoolNode b => new JsonObject { ["bool"] = Clauses(b) },
        _ => throw new InvalidOperationException($"The writer cannot build a {node.GetType().Name} that the caller did not write."),
    };

    private static JsonObject Clauses(BoolNode node)
    {
        var clauses = new JsonObject();
        Add("must", node.Must);
        Add("filter", node.Filter);
        Add("should", node.Should);
        Add("must_not", node.MustNot);
        if (node.MinimumShouldMatch is { } minimum)
        {
            clauses["minimum_should_match"] = minimum;
        }

        return clauses;

        void Add(string occur, IReadOnlyList<QueryNode> queries)
        {
            if (queries.Count > 0)
            {
                clauses[occur] = new JsonArray([.. queries.Select(q => (JsonNode)Write(q))]);
            }
        }
    }
}
