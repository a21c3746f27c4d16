using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Api.Http;
using Jobs.Core.Search;
using Jobs.Core.Storage;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// <c>GET|HEAD /es/{index}/_doc/{id}</c> and <c>_mget</c>. A job the caller may not see is
/// "not found", exactly as on <c>/jobs/_doc/{id}</c> (the same lookup, <see cref="SearchApi"/>).
/// </summary>
internal static class DocumentHandlers
{
    public static async Task<IResult> GetAsync(HttpRequest request, string index, string id, IJobStore store, RequestContext context, CancellationToken ct)
    {
        if (!IndexExpression.Resolve(index, request.Query).IncludesJobs || index.Contains('*', StringComparison.Ordinal) || index.Contains(',', StringComparison.Ordinal))
        {
            throw new SearchException("illegal_argument_exception", $"[{index}] is not a single index: a document is read from one concrete index (jobs)");
        }

        var document = await SearchApi.DocumentAsync(id, context.Lookup, ct);
        var found = document["found"]!.GetValue<bool>();
        if (HttpMethods.IsHead(request.Method))
        {
            return found ? Results.Ok() : Results.NotFound();
        }

        return EsResults.Json(request, document, found ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
    }

    /// <summary><c>{"docs":[{"_index","_id"}…]}</c>, or <c>{"ids":[…]}</c> with the index in the path.</summary>
    public static async Task<IResult> MultiGetAsync(HttpRequest request, string? index, IJobStore store, RequestContext context, CancellationToken ct)
    {
        if (index is not null)
        {
            IndexExpression.Resolve(index, request.Query);
        }

        var body = await SearchApi.ReadBodyAsync(request, context, ct);
        var wanted = new List<(string? Index, string? Id)>();
        if (body["docs"] is JsonArray docs)
        {
            wanted.AddRange(docs.Select(d => (Text(d?["_index"]) ?? index, Text(d?["_id"]))));
        }
        else if (body["ids"] is JsonArray ids)
        {
            wanted.AddRange(ids.Select(i => (index, Text(i))));
        }
        else
        {
            throw new SearchException("action_request_validation_exception", "Validation Failed: 1: no documents to get;");
        }

        var results = new JsonArray();
        foreach (var (docIndex, id) in wanted)
        {
            if (id is null || docIndex is null)
            {
                throw new SearchException("action_request_validation_exception", $"Validation Failed: 1: {(id is null ? "id" : "index")} is missing for doc 0;");
            }

            results.Add(docIndex == IndexExpression.Jobs
                ? await SearchApi.DocumentAsync(id, context.Lookup, ct)
                : new JsonObject { ["_index"] = docIndex, ["_id"] = id, ["error"] = EsErrors.IndexNotFound(docIndex).ToResponse()["error"]!.DeepClone() });
        }

        return EsResults.Json(request, new JsonObject { ["docs"] = results });
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
