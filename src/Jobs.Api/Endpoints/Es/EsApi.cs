namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// The Elasticsearch-compatible endpoint at <c>/es</c>: the jobs index as a read-only,
/// one-index Elasticsearch cluster, for the official clients and Elasticvue (base URL
/// <c>http://host:5001/es</c>). Every search and document read is scoped to the caller exactly
/// as on <c>/jobs/_search</c>; writes and the rest of Elasticsearch's API answer an
/// Elasticsearch-shaped error saying so. The answers carry <c>X-Elastic-Product</c> and accept
/// compressed bodies (<see cref="EsSurfaceExtensions"/>).
/// </summary>
public static class EsApi
{
    public const string BasePath = "/es";

    public static IEndpointRouteBuilder MapEs(this IEndpointRouteBuilder app)
    {
        var es = app.MapGroup(BasePath).WithTags("Elasticsearch-compatible endpoint (/es)")
            .AddEndpointFilter<EsErrorFilter>().ExcludeFromDescription().WithMetadata(Http.ElasticsearchSurface.Instance);

        es.MapMethods("/", ["GET", "HEAD"], ClusterHandlers.Info);
        es.MapGet("/_cluster/health", ClusterHandlers.HealthAsync);
        es.MapGet("/_cluster/health/{index}", ClusterHandlers.HealthAsync);
        es.MapGet("/_cat/indices", (HttpRequest r, Jobs.Core.Storage.IJobStore s, EsCluster c, Http.RequestContext x, CancellationToken ct) => CatIndices.ListAsync(r, null, s, c, x, ct));
        es.MapGet("/_cat/indices/{index}", CatIndices.ListAsync);

        es.MapMethods("/_search", ["GET", "POST"], (HttpRequest r, Jobs.Core.Storage.IJobStore s, Http.RequestContext x, FieldTypesCache f, CancellationToken ct) => SearchHandlers.SearchAsync(r, null, s, x, f, ct));
        es.MapMethods("/{index}/_search", ["GET", "POST"], SearchHandlers.SearchAsync);
        es.MapMethods("/_count", ["GET", "POST"], (HttpRequest r, Jobs.Core.Storage.IJobStore s, Http.RequestContext x, CancellationToken ct) => SearchHandlers.CountAsync(r, null, s, x, ct));
        es.MapMethods("/{index}/_count", ["GET", "POST"], SearchHandlers.CountAsync);

        es.MapGet("/_mapping", (HttpRequest r, Jobs.Core.Storage.IJobStore s, CancellationToken ct) => IndexHandlers.MappingAsync(r, null, s, ct));
        es.MapGet("/{index}/_mapping", IndexHandlers.MappingAsync);
        es.MapGet("/_alias", (HttpRequest r) => IndexHandlers.Aliases(r, null));
        es.MapGet("/{index}/_alias", IndexHandlers.Aliases);
        es.MapMethods("/{index}", ["GET", "HEAD"], IndexHandlers.GetAsync);

        es.MapMethods("/{index}/_doc/{id}", ["GET", "HEAD"], DocumentHandlers.GetAsync);
        es.MapMethods("/_mget", ["GET", "POST"], (HttpRequest r, Jobs.Core.Storage.IJobStore s, Http.RequestContext x, CancellationToken ct) => DocumentHandlers.MultiGetAsync(r, null, s, x, ct));
        es.MapMethods("/{index}/_mget", ["GET", "POST"], DocumentHandlers.MultiGetAsync);

        // Everything else: a write (refused, the jobs change through the API) or a read not served.
        es.Map("/{**rest}", (HttpRequest r) => EsErrors.Result(IsWrite(r) ? EsErrors.ReadOnly(r.Method, r.Path) : EsErrors.NotServed(r.Method, r.Path)));
        return app;
    }

    /// <summary>What would change data or an index: every PUT, DELETE or PATCH, and POSTs to write or admin APIs.</summary>
    private static bool IsWrite(HttpRequest request)
    {
        if (HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method) || HttpMethods.IsPatch(request.Method))
        {
            return true;
        }

        string[] writes = ["_doc", "_create", "_update", "_bulk", "_delete_by_query", "_update_by_query", "_reindex", "_forcemerge",
            "_refresh", "_flush", "_cache", "_close", "_open", "_settings", "_clone", "_split", "_shrink", "_rollover", "_alias", "_aliases"];
        return HttpMethods.IsPost(request.Method)
            && (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Any(segment => writes.Contains(segment));
    }
}
