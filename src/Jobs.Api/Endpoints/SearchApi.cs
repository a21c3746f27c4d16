using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Api.Endpoints.Es;
using Jobs.Api.Http;
using Jobs.Api.Identity;
using Jobs.Core.Json;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Search.Json;

namespace Jobs.Api.Endpoints;

/// <summary>
/// The Elasticsearch-compatible read surface of the jobs index: request and response bodies
/// (and errors, <see cref="EsErrorFilter"/>, as under <c>/es</c>) are Elasticsearch's. Every request passes <see cref="SearchScope"/> first:
/// scripts and other indices are refused, non-admin callers see only their own jobs.
/// </summary>
public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/jobs").WithTags("Search (Elasticsearch-compatible)").WithMetadata(ElasticsearchSurface.Instance)
            .AddEndpointFilter<EsErrorFilter>();
        group.MapMethods("/_search", ["GET", "POST"], SearchAsync).WithName("SearchJobs")
            .WithSummary("Elasticsearch _search over the jobs (query DSL body, or ?q= and URI parameters)")
            .WithJsonBody("an Elasticsearch _search body (query DSL, from/size, sort, search_after, _source, aggs)");
        group.MapMethods("/_count", ["GET", "POST"], CountAsync).WithName("CountJobs")
            .WithSummary("Elasticsearch _count over the jobs")
            .WithJsonBody("an Elasticsearch _count body ({\"query\": ...})");
        group.MapGet("/_mapping", async (IJobStore store, CancellationToken ct) => Results.Json(await store.GetMappingAsync(ct)))
            .WithName("GetJobsMapping").WithSummary("The mapping of the jobs index, as Elasticsearch reports it");
        group.MapGet("/_doc/{id}", GetDocumentAsync).WithName("GetJobDocument").WithSummary("One job document, as Elasticsearch's GET _doc");
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpRequest request, IJobStore store, RequestContext context, CancellationToken ct) =>
        Results.Json(await RunSearchAsync(request, store, context, ct));

    private static async Task<IResult> CountAsync(HttpRequest request, IJobStore store, RequestContext context, CancellationToken ct) =>
        Results.Json(await RunCountAsync(request, store, context, ct));

    private static async Task<IResult> GetDocumentAsync(string id, JobLookup lookup, CancellationToken ct)
    {
        var document = await DocumentAsync(id, lookup, ct);
        return Results.Json(document, statusCode: document["found"]!.GetValue<bool>() ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// A caller's <c>_search</c> (body, then URI parameters), scoped and run on the store. The one
    /// path every Elasticsearch-compatible search takes, here and under <c>/es</c>.
    /// </summary>
    internal static async Task<JsonObject> RunSearchAsync(HttpRequest request, IJobStore store, RequestContext context, CancellationToken ct)
    {
        var body = await ReadBodyAsync(request, context, ct);
        return await RunSearchAsync(body, request.Query, store, context, ct);
    }

    /// <summary>A <c>_search</c> of a body already read; the URI parameters override it.</summary>
    internal static async Task<JsonObject> RunSearchAsync(JsonObject body, IQueryCollection query, IJobStore store, RequestContext context, CancellationToken ct)
    {
        ApplyUriParameters(query, body);
        return await SearchScope.SearchAsync(store, body, context.SearchCaller, ct);
    }

    /// <summary>A caller's <c>_count</c>, scoped and run on the store.</summary>
    internal static async Task<JsonObject> RunCountAsync(HttpRequest request, IJobStore store, RequestContext context, CancellationToken ct)
    {
        var body = await ReadBodyAsync(request, context, ct);
        if (request.Query.TryGetValue("q", out var q))
        {
            body["query"] = QueryStringQuery(q.ToString(), request.Query);
        }

        return await RunCountAsync(body, store, context, ct);
    }

    /// <summary>A <c>_count</c> of a body already read (null: every job the caller may see), scoped and run on the store.</summary>
    internal static Task<JsonObject> RunCountAsync(JsonObject? body, IJobStore store, RequestContext context, CancellationToken ct) =>
        SearchScope.CountAsync(store, body, context.SearchCaller, ct);

    /// <summary>
    /// GET <c>_doc</c>'s body: <c>{"_index":"jobs","_id","found"}</c>, with the job's
    /// <c>_source</c> (hidden fields removed) when the caller may see it.
    /// </summary>
    internal static async Task<JsonObject> DocumentAsync(string id, JobLookup lookup, CancellationToken ct)
    {
        var job = await lookup.FindAsync(id, null, ct);
        var document = new JsonObject { ["_index"] = "jobs", ["_id"] = id, ["found"] = job is not null };
        if (job is not null)
        {
            document["_source"] = SearchScope.RemoveHidden(JobsJson.ParseNode(JobsJson.ToUtf8(job))!.AsObject());
        }

        return document;
    }

    internal static async Task<JsonObject> ReadBodyAsync(HttpRequest request, RequestContext context, CancellationToken ct)
    {
        var (bytes, problem) = await RequestBody.ReadAsync(request, context.Options.MaxRequestBytes, "search request", ct);
        if (problem is { StatusCode: not StatusCodes.Status413PayloadTooLarge })
        {
            throw new SearchException("parse_exception", problem.ProblemDetails.Detail ?? "The request body could not be read.");
        }

        if (problem is not null)
        {
            throw new SearchException("content_too_long_exception", $"The search request is larger than {context.Options.MaxRequestBytes} bytes.", 413);
        }

        return SearchBody.Parse(bytes.Span);
    }

    /// <summary>The URI-search parameters Elasticsearch accepts on _search; they override the body.</summary>
    private static void ApplyUriParameters(IQueryCollection query, JsonObject body)
    {
        if (query.TryGetValue("q", out var q))
        {
            body["query"] = QueryStringQuery(q.ToString(), query);
        }

        foreach (var name in (string[])["size", "from"])
        {
            if (query.TryGetValue(name, out var text))
            {
                body[name] = int.TryParse(text.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : throw SearchException.IllegalArgument($"Failed to parse int parameter [{name}] with value [{text}]");
            }
        }

        if (query.TryGetValue("track_total_hits", out var track))
        {
            body["track_total_hits"] = track.ToString() switch
            {
                "true" => true,
                "false" => false,
                var t when int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var cap) => cap,
                var t => throw SearchException.IllegalArgument($"Failed to parse [track_total_hits] with value [{t}]"),
            };
        }

        if (query.TryGetValue("sort", out var sort))
        {
            var sorts = new JsonArray();
            foreach (var item in sort.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = item.LastIndexOf(':');
                sorts.Add(colon < 0
                    ? JsonValue.Create(item)
                    : new JsonObject { [item[..colon]] = new JsonObject { ["order"] = item[(colon + 1)..] } });
            }

            body["sort"] = sorts;
        }

        if (query.TryGetValue("_source", out var source))
        {
            body["_source"] = source.ToString() switch
            {
                "true" => true,
                "false" => false,
                var s => new JsonArray([.. s.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => (JsonNode)f)]),
            };
        }
    }

    /// <summary>
    /// <c>?q=</c> is a <c>query_string</c> query; <c>df</c>, <c>default_operator</c>, <c>lenient</c>
    /// and <c>analyze_wildcard</c> set its options, as on Elasticsearch's URI search.
    /// </summary>
    private static JsonObject QueryStringQuery(string text, IQueryCollection parameters)
    {
        var query = new JsonObject { ["query"] = text };
        if (parameters.TryGetValue("df", out var field))
        {
            query["default_field"] = field.ToString();
        }

        if (parameters.TryGetValue("default_operator", out var op))
        {
            query["default_operator"] = op.ToString();
        }

        foreach (var flag in (string[])["lenient", "analyze_wildcard"])
        {
            if (parameters.TryGetValue(flag, out var value))
            {
                query[flag] = value.ToString() switch
                {
                    "true" => true,
                    "false" => false,
                    var other => throw SearchException.IllegalArgument($"Failed to parse value [{other}] as only [true] or [false] are allowed."),
                };
            }
        }

        return new JsonObject { ["query_string"] = query };
    }
}
