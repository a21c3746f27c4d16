using System.Text.RegularExpressions;
using Jobs.Core.Search;
using Jobs.Search.Aggregations;
using Jobs.Search.Queries;
using Jobs.Search.Sorting;

namespace Jobs.Search.Policy;

/// <summary>
/// The search policy of the jobs index, as a pass over the parsed request: refuses scripts,
/// runtime mappings, terms lookups and references to other indices, and (for a caller who is not
/// an admin) <c>global</c> aggregations and options that search outside the query; then scopes a
/// non-admin caller's query to their own jobs and hides the update-token hash from
/// <c>_source</c>. Decisions are by node type: only the verbatim parts are checked by parameter
/// names (<see cref="OpaqueJson"/>).
/// </summary>
public static class SearchPolicy
{
    /// <summary>The update-token hash: a field no search response may return.</summary>
    public const string HiddenField = "token-sha256";

    /// <summary>
    /// Every field no response may return: the update-token hash, the idempotency record
    /// (<see cref="Core.Jobs.IdempotencyRecord"/>) and the store's own bookkeeping (the merge
    /// state, and the Elasticsearch store's outboxes <c>pending-events</c> and <c>outbox</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> HiddenFields = [HiddenField, "idempotency", "merge", "pending-events", "outbox"];

    /// <summary>The hidden fields with their sub-fields, which no field list may name.</summary>
    private static readonly string[] HiddenNames = [.. HiddenFields, "idempotency.key-sha256", "idempotency.request-sha256"];

    /// <summary>The field that says whose job it is.</summary>
    public const string OwnerField = "user-id";

    /// <summary>Options that run searches of their own, which the caller's scope would not cover.</summary>
    private static readonly HashSet<string> Unscoped = ["knn", "suggest", "retriever", "sub_searches", "rank"];

    public static SearchRequest Apply(SearchRequest request, SearchCaller caller)
    {
        Check(request.Query, "query");
        foreach (var spec in request.Aggregations)
        {
            Check(spec, "aggs", caller);
        }

        foreach (var key in request.Sort.Keys)
        {
            Check(key);
        }

        foreach (var option in request.Options)
        {
            Check(option, caller);
        }

        return request with
        {
            Query = Scope(request.Query, caller),
            HasQuery = request.HasQuery || !caller.IsAdmin,
            Source = HiddenFields.Aggregate(request.Source, (source, field) => source.Excluding(field)),
        };
    }

    public static CountRequest Apply(CountRequest request, SearchCaller caller)
    {
        Check(request.Query, "query");
        return request with { Query = Scope(request.Query, caller), HasQuery = request.HasQuery || !caller.IsAdmin };
    }

    /// <summary>A non-admin caller's query, within their own jobs: <c>{"bool":{"must":[query],"filter":[{"term":{"user-id":…}}]}}</c>.</summary>
    private static QueryNode Scope(QueryNode query, SearchCaller caller) => caller.IsAdmin
        ? query
        : new BoolNode([query], [new TermNode(OwnerField, System.Text.Json.Nodes.JsonValue.Create(caller.UserId ?? ""))], [], [], null);

    private static void Check(QueryNode node, string path)
    {
        switch (node)
        {
            case ScriptQueryNode script:
                throw PolicyErrors.Script(script.Name, $"{path}.{script.Name}");
            case TermsLookupNode:
                throw PolicyErrors.TermsLookup($"{path}.terms");
            case OpaqueQueryNode opaque:
                OpaqueJson.Check(opaque.Json, path);
                break;
            case BoolNode b:
                CheckAll(b.Must, $"{path}.bool.must");
                CheckAll(b.Filter, $"{path}.bool.filter");
                CheckAll(b.Should, $"{path}.bool.should");
                CheckAll(b.MustNot, $"{path}.bool.must_not");
                break;
            case ConstantScoreNode c:
                Check(c.Filter, $"{path}.constant_score.filter");
                break;
            case DisMaxNode d:
                CheckAll(d.Queries, $"{path}.dis_max.queries");
                break;
        }
    }

    private static void CheckAll(IEnumerable<QueryNode> nodes, string path)
    {
        foreach (var node in nodes)
        {
            Check(node, path);
        }
    }

    private static void Check(AggregationSpec spec, string path, SearchCaller caller)
    {
        var here = $"{path}.{spec.Name}";
        switch (spec)
        {
            case ScriptAggregationSpec script:
                var construct = script.Type is "scripted_metric" or "bucket_script" or "bucket_selector" ? script.Type : "script";
                throw PolicyErrors.Script(construct, construct == "script" ? $"{here}.{script.Type}.script" : $"{here}.{script.Type}");
            case GlobalSpec when !caller.IsAdmin:
                throw PolicyErrors.Global($"{here}.global");
            case OpaqueAggregationSpec opaque:
                OpaqueJson.Check(opaque.Body, $"{here}.{opaque.Type}");
                break;
            case FilterSpec filter:
                Check(filter.Filter, $"{here}.filter");
                break;
            case FiltersSpec filters:
                CheckAll(filters.Filters.Select(f => f.Filter), $"{here}.filters.filters");
                break;
        }

        foreach (var sub in spec.SubAggregations)
        {
            Check(sub, $"{here}.aggs", caller);
        }
    }

    private static void Check(SortKey key)
    {
        switch (key)
        {
            case ScriptSortKey:
                throw PolicyErrors.Script("_script", "sort._script");
            case OpaqueSortKey or FieldSortKey { Unsupported: not null }:
                OpaqueJson.Check(key.Options, $"sort.{key.Name}");
                break;
        }
    }

    private static void Check(RequestOption option, SearchCaller caller)
    {
        switch (option)
        {
            case ScriptOption script:
                throw PolicyErrors.Script(script.Key, script.Key);
            case PostFilterOption post:
                Check(post.Filter, "post_filter");
                break;
            case FieldListOption fields:
                foreach (var pattern in fields.Patterns)
                {
                    if (HiddenNames.FirstOrDefault(Glob(pattern).IsMatch) is { } hidden)
                    {
                        throw PolicyErrors.Hidden(fields.Key, hidden);
                    }
                }

                break;
            case OpaqueOption opaque:
                if (!caller.IsAdmin && Unscoped.Contains(opaque.Key))
                {
                    throw PolicyErrors.Unscoped(opaque.Key);
                }

                OpaqueJson.Check(opaque.Value, opaque.Key);
                break;
        }
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.None, TimeSpan.FromMilliseconds(100));
}
