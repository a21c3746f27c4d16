using System.Text;
using System.Text.Json.Nodes;
using Jobs.Core.Storage;
using Microsoft.Extensions.Primitives;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// <c>GET /es/_cat/indices[/{index}]</c>: the one row of the jobs index, as JSON (<c>format=json</c>
/// or <c>Accept: application/json</c>, which is how Elasticvue asks) or as Elasticsearch's
/// aligned text. <c>h</c> picks columns (by name or alias), <c>v</c> adds the header line,
/// <c>health</c> filters by colour, <c>index</c> (path or parameter) and <c>expand_wildcards</c>
/// select. The document count is the caller's (scoped like a search). Sizes, segment counts and
/// the creation date are not known through the store port and are reported as null.
/// </summary>
internal static class CatIndices
{
    private static readonly string[] Defaults = ["health", "status", "index", "uuid", "pri", "rep", "docs.count", "docs.deleted", "store.size", "pri.store.size"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["h"] = "health",
        ["s"] = "status",
        ["i"] = "index",
        ["idx"] = "index",
        ["id"] = "uuid",
        ["p"] = "pri",
        ["shards.primary"] = "pri",
        ["shardsPrimary"] = "pri",
        ["r"] = "rep",
        ["shards.replica"] = "rep",
        ["shardsReplica"] = "rep",
        ["dc"] = "docs.count",
        ["docsCount"] = "docs.count",
        ["dd"] = "docs.deleted",
        ["docsDeleted"] = "docs.deleted",
        ["ss"] = "store.size",
        ["storeSize"] = "store.size",
        ["sc"] = "segments.count",
        ["segmentsCount"] = "segments.count",
        ["cd"] = "creation.date",
        ["cds"] = "creation.date.string",
    };

    public static async Task<IResult> ListAsync(HttpRequest request, string? index, IJobStore store, EsCluster cluster, Http.RequestContext context, CancellationToken ct)
    {
        var expression = IndexExpression.Resolve(index ?? request.Query["index"].ToString(), request.Query);
        var wantedHealth = request.Query["health"].ToString();
        var columns = Columns(request.Query["h"]);
        var rows = new List<JsonObject>();
        if (expression.IncludesJobs && (wantedHealth.Length == 0 || wantedHealth == "green"))
        {
            var count = await SearchApi.RunCountAsync(body: null, store, context, ct);
            var all = new JsonObject
            {
                ["health"] = "green",
                ["status"] = "open",
                ["index"] = IndexExpression.Jobs,
                ["uuid"] = cluster.IndexUuid,
                ["pri"] = "1",
                ["rep"] = "0",
                ["docs.count"] = count["count"]!.ToString(),
                ["docs.deleted"] = null,
                ["store.size"] = null,
                ["pri.store.size"] = null,
                ["segments.count"] = null,
                ["creation.date"] = null,
                ["creation.date.string"] = null,
            };
            rows.Add(new JsonObject(columns.Select(c => KeyValuePair.Create(c.Shown, all[c.Name]?.DeepClone()))));
        }

        var format = request.Query["format"].ToString();
        var json = format == "json" || (format.Length == 0 && request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase));
        return json
            ? EsResults.Json(request, new JsonArray([.. rows]))
            : Results.Text(Text(rows, columns.Select(c => c.Shown).ToList(), request.Query.ContainsKey("v") && request.Query["v"].ToString() != "false"), "text/plain; charset=UTF-8");
    }

    private static List<(string Shown, string Name)> Columns(StringValues h)
    {
        var asked = h.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (asked.Length == 0)
        {
            return [.. Defaults.Select(d => (d, d))];
        }

        var known = Defaults.Concat(["segments.count", "creation.date", "creation.date.string"]).ToHashSet(StringComparer.Ordinal);
        return [.. asked.Select(a => (a, Aliases.GetValueOrDefault(a, a))).Select(c => known.Contains(c.Item2)
            ? c
            : throw Core.Search.SearchException.IllegalArgument($"header [{c.a}] is not supported by this _cat/indices"))];
    }

    private static string Text(List<JsonObject> rows, List<string> columns, bool header)
    {
        var lines = new List<string?[]>();
        if (header)
        {
            lines.Add([.. columns]);
        }

        lines.AddRange(rows.Select(r => columns.Select(c => r[c]?.ToString()).ToArray()));
        var widths = columns.Select((_, i) => lines.Max(l => l[i]?.Length ?? 0)).ToArray();
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.AppendJoin(' ', line.Select((v, i) => (v ?? "").PadRight(widths[i]))).Append('\n');
        }

        return text.ToString();
    }
}
