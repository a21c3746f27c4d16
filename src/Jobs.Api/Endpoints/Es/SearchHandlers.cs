using System.Text.Json.Nodes;
using Jobs.Api.Http;
using Jobs.Core.Storage;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// <c>_search</c> and <c>_count</c>, with or without an index expression. The request goes
/// through the API's own search path (<see cref="SearchApi"/>: the same scoping as
/// <c>/jobs/_search</c>, then the store port, which on the Elasticsearch store passes it to the
/// cluster); this surface adds what Elasticsearch's clients ask for on top: <c>typed_keys</c>,
/// <c>rest_total_hits_as_int</c>, hits named by this surface's index name, <c>filter_path</c>.
/// </summary>
internal static class SearchHandlers
{
    public static async Task<IResult> SearchAsync(
        HttpRequest request, string? index, IJobStore store, RequestContext context, FieldTypesCache fieldTypes, CancellationToken ct)
    {
        var body = await SearchApi.ReadBodyAsync(request, context, ct);
        if (!IndexExpression.Resolve(index, request.Query).IncludesJobs)
        {
            return EsResults.Json(request, EsResults.EmptySearch());
        }

        // Only typed_keys needs the request as the caller sent it (the search may rewrite the body).
        var requested = Flag(request, "typed_keys") ? body.DeepClone().AsObject() : null;
        var response = await SearchApi.RunSearchAsync(body, request.Query, store, context, ct);
        if (response["hits"]?["hits"] is JsonArray hits)
        {
            foreach (var hit in hits.OfType<JsonObject>())
            {
                hit["_index"] = IndexExpression.Jobs;
            }
        }

        if (Flag(request, "rest_total_hits_as_int") && response["hits"] is JsonObject h && h["total"] is JsonObject total)
        {
            h["total"] = total["value"]?.DeepClone();
        }

        if (requested is not null && response["aggregations"] is not null)
        {
            TypedKeys.Apply(requested, response, await fieldTypes.GetAsync(store, TypedKeys.TermsFields(requested), ct));
        }

        return EsResults.Json(request, response);
    }

    public static async Task<IResult> CountAsync(HttpRequest request, string? index, IJobStore store, RequestContext context, CancellationToken ct)
    {
        if (!IndexExpression.Resolve(index, request.Query).IncludesJobs)
        {
            return EsResults.Json(request, new JsonObject { ["count"] = 0, ["_shards"] = EsResults.Shards(0) });
        }

        return EsResults.Json(request, await SearchApi.RunCountAsync(request, store, context, ct));
    }

    private static bool Flag(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var value) && value.ToString() is "" or "true";
}
