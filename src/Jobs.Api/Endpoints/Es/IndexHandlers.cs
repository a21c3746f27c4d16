using System.Text.Json.Nodes;
using Jobs.Core.Storage;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// What describes the index: <c>GET|HEAD /es/{index}</c> (aliases, mappings, settings — Elasticvue
/// reads the mapping after every search), <c>_alias</c> and <c>_mapping</c>, with or without an
/// index expression.
/// </summary>
internal static class IndexHandlers
{
    public static async Task<IResult> GetAsync(HttpRequest request, string index, IJobStore store, EsCluster cluster, CancellationToken ct)
    {
        if (index.StartsWith('_') && index != "_all")
        {
            // An Elasticsearch API this surface does not have (_nodes, _tasks, _template, …), not an index name.
            throw EsErrors.NotServed(request.Method, request.Path);
        }

        if (!IndexExpression.Resolve(index, request.Query).IncludesJobs)
        {
            return EsResults.Json(request, new JsonObject());
        }

        if (HttpMethods.IsHead(request.Method))
        {
            return Results.Ok();
        }

        var body = new JsonObject
        {
            [IndexExpression.Jobs] = new JsonObject
            {
                ["aliases"] = new JsonObject(),
                ["mappings"] = await EsResults.MappingsAsync(store, ct),
                ["settings"] = EsResults.Settings(cluster),
            },
        };
        return EsResults.Json(request, body);
    }

    /// <summary>The jobs index has no aliases on this surface (on the Elasticsearch store, its alias is the name <c>jobs</c> itself).</summary>
    public static IResult Aliases(HttpRequest request, string? index) =>
        EsResults.Json(request, IndexExpression.Resolve(index, request.Query).IncludesJobs
            ? new JsonObject { [IndexExpression.Jobs] = new JsonObject { ["aliases"] = new JsonObject() } }
            : new JsonObject());

    public static async Task<IResult> MappingAsync(HttpRequest request, string? index, IJobStore store, CancellationToken ct) =>
        EsResults.Json(request, IndexExpression.Resolve(index, request.Query).IncludesJobs
            ? new JsonObject { [IndexExpression.Jobs] = new JsonObject { ["mappings"] = await EsResults.MappingsAsync(store, ct) } }
            : new JsonObject());
}
