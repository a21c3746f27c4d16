using Jobs.Core.Search;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// The Elasticsearch-shaped errors of <c>/es</c> (<c>{"error":{"root_cause":[…],"type","reason"},"status"}</c>),
/// so that the official clients raise their own server-error type and Elasticvue shows the reason.
/// </summary>
internal static class EsErrors
{
    /// <summary>Where jobs are changed instead; named in every refusal of a write.</summary>
    private const string WritePaths = "jobs change through the Jobs API: POST /processes/{id}/jobs creates one and POST /jobs/{id}/updates (or the update queue) changes it";

    public static SearchException IndexNotFound(string index) =>
        new("index_not_found_exception", $"no such index [{index}]", StatusCodes.Status404NotFound);

    /// <summary>A write (document, bulk or index admin): the surface is read-only.</summary>
    public static SearchException ReadOnly(string method, string path) =>
        new("cluster_block_exception", $"[{method} {path}] would write: this Elasticsearch-compatible endpoint is read-only; {WritePaths}", StatusCodes.Status405MethodNotAllowed);

    /// <summary>A read this surface does not serve.</summary>
    public static SearchException NotServed(string method, string path) =>
        new("illegal_argument_exception", $"no handler found for uri [{path}] and method [{method}]: this Elasticsearch-compatible endpoint serves reads of the jobs index only (/, _cluster/health, _cat/indices, jobs, _alias, _search, _count, _mapping, _doc, _mget)");

    public static SearchException BadBody(string reason) => new("x_content_parse_exception", reason);

    public static SearchException Unavailable(string reason) => new("unavailable_shards_exception", reason, StatusCodes.Status503ServiceUnavailable);

    public static IResult Result(SearchException e) => Results.Json(e.ToResponse(), statusCode: e.Status);
}
