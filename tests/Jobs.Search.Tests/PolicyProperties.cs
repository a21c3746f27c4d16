using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jobs.Core.Search;
using Jobs.Search.Policy;
using Jobs.Search.Queries;
using static Jobs.Search.Tests.Parse;

namespace Jobs.Search.Tests;

/// <summary>
/// Generated <c>_search</c> bodies, each built with what it holds: a script, a reference to
/// another index or a wrapped query anywhere (at any depth of queries, aggregations, sorts and
/// options), or, refused to callers who are not admins, a <c>global</c> aggregation or an option
/// that searches outside the query. The words of those constructs also appear as ordinary field
/// names, values and aggregation names, so a policy that guessed from words would fail here too.
/// </summary>
public class PolicyProperties
{
    /// <summary>A piece of a request, as JSON text, with what the policy must make of it.</summary>
    /// <param name="Refused">Holds a script, another index or a wrapped query: refused to everyone.</param>
    /// <param name="CallerOnly">Holds a <c>global</c> aggregation or an unscoped option: refused to callers who are not admins.</param>
    private sealed record Part(string Json, bool Refused = false, bool CallerOnly = false)
    {
        public bool RefusedTo(SearchCaller caller) => Refused || (CallerOnly && !caller.IsAdmin);
    }

    /// <summary>Fields the parsed queries use: the words of refused constructs among them.</summary>
    private static readonly string[] Fields = ["status", "message", "labels", "inputs.script", "script", "index", "_index", "inputs.global", "aggs", "script_fields"];

    /// <summary>Fields inside parts the model keeps verbatim, where any key is read as a parameter.</summary>
    private static readonly string[] VerbatimFields = ["status", "message", "labels", "inputs.value"];

    private static readonly string[] Values = ["\"running\"", "\"script\"", "\"_index\"", "\"global\"", "\"aggs_by_script\"", "42", "true", "\"runtime_mappings\""];

    private static readonly string[] AggregationNames = ["by_status", "aggs_by_script", "script", "global", "aggs", "index", "scripted"];

    /// <summary>A JSON template with <c>@0</c>, <c>@1</c>, … for the arguments (raw strings would need a brace count per line).</summary>
    private static string F(string template, params string[] args)
    {
        for (var i = args.Length - 1; i >= 0; i--)
        {
            template = template.Replace("@" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), args[i], StringComparison.Ordinal);
        }

        return template;
    }

    private static Part Combine(string json, IEnumerable<Part> parts) =>
        parts.ToList() is var list
            ? new Part(json, list.Any(p => p.Refused), list.Any(p => p.CallerOnly))
            : throw new InvalidOperationException();

    private static Gen<Part> Leaf =>
        from name in Gen.Elements(Fields)
        from verbatim in Gen.Elements(VerbatimFields)
        from value in Gen.Elements(Values)
        from kind in Gen.Choose(0, 9)
        select kind switch
        {
            0 => new Part(F("""{"term":{"@0":@1}}""", name, value)),
            1 => new Part(F("""{"terms":{"@0":[@1,"x"]}}""", name, value)),
            2 => new Part(F("""{"match":{"@0":{"query":"run the script","operator":"and"}}}""", name)),
            3 => new Part(F("""{"exists":{"field":"@0"}}""", name)),
            4 => new Part(F("""{"range":{"@0":{"gte":1,"lt":@1}}}""", name, value)),
            5 => new Part(F("""{"prefix":{"@0":"scr"}}""", name)),
            6 => new Part(F("""{"query_string":{"query":"script:x OR _index:y","fields":["@0"]}}""", name)),
            7 => new Part(F("""{"fuzzy":{"@0":{"value":"scirpt"}}}""", verbatim)),
            8 => new Part(F("""{"match":{"@0":{"query":"x","fuzziness":"AUTO"}}}""", verbatim)),
            _ => new Part("""{"match_all":{}}"""),
        };

    private static Gen<Part> RefusedLeaf => RefusedQuery(verbatim: false);

    /// <summary>
    /// Queries the policy refuses. Inside a verbatim part a terms lookup is known by its
    /// <c>index</c>, which Elasticsearch requires of one; a lookup without it (the policy's own
    /// default index) only appears where the query is parsed.
    /// </summary>
    private static Gen<Part> RefusedQuery(bool verbatim) =>
        from name in Gen.Elements(verbatim ? VerbatimFields : Fields)
        from kind in Gen.Elements(verbatim ? [0, 1, 2, 4, 5, 6, 7] : new[] { 0, 1, 2, 3, 4, 5, 6, 7 })
        select new Part(
            kind switch
            {
                0 => """{"script":{"script":{"source":"true"}}}""",
                1 => """{"script_score":{"query":{"match_all":{}},"script":{"source":"1"}}}""",
                2 => F("""{"terms":{"@0":{"index":"secrets","id":"1","path":"p"}}}""", name),
                3 => F("""{"terms":{"@0":{"id":"1","path":"p"}}}""", name),
                4 => """{"more_like_this":{"fields":["message"],"like":[{"_index":"secrets","_id":"1"}]}}""",
                5 => """{"percolate":{"field":"q","index":"secrets","id":"1"}}""",
                6 => """{"wrapper":{"query":"eyJtYXRjaF9hbGwiOnt9fQ=="}}""",
                _ => """{"function_score":{"query":{"match_all":{}},"functions":[{"script_score":{"script":"1"}}]}}""",
            },
            Refused: true);

    private static Gen<Part> Query(int depth) => depth <= 0
        ? Gen.Frequency((6, Leaf), (1, RefusedLeaf))
        : Gen.Frequency(
            (4, Leaf),
            (1, RefusedLeaf),
            (2, from clauses in Gen.ListOf(Query(depth - 1), 4)
                from occurs in Gen.ListOf(Gen.Elements("must", "filter", "should", "must_not"), 4)
                let distinct = occurs.Zip(clauses).GroupBy(p => p.First).ToList()
                select Combine(
                    "{\"bool\":{" + string.Join(",", distinct.Select(g => $"\"{g.Key}\":[{string.Join(",", g.Select(p => p.Second.Json))}]")) + "}}",
                    distinct.SelectMany(g => g.Select(p => p.Second)))),
            (1, from inner in Query(depth - 1) select Combine(F("""{"constant_score":{"filter":@0}}""", inner.Json), [inner])),
            (1, from queries in Gen.ListOf(Query(depth - 1), 2) select Combine(F("""{"dis_max":{"queries":[@0]}}""", string.Join(",", queries.Select(q => q.Json))), queries)),
            (1, from inner in VerbatimQuery select Combine(F("""{"nested":{"path":"events","query":@0}}""", inner.Json), [inner])));

    /// <summary>A query inside a verbatim part: fields there are read as parameter names, so only plain ones.</summary>
    private static Gen<Part> VerbatimQuery => Gen.OneOf(
        from name in Gen.Elements(VerbatimFields) from value in Gen.Elements(Values) select new Part(F("""{"term":{"@0":@1}}""", name, value)),
        RefusedQuery(verbatim: true));

    private static Gen<Part> Aggregation(int depth)
    {
        var leaf = from name in Gen.Elements(Fields)
                   from verbatim in Gen.Elements(VerbatimFields)
                   from kind in Gen.Choose(0, 10)
                   select kind switch
                   {
                       0 => new Part(F("""{"terms":{"field":"@0","size":3,"missing":"script"}}""", name)),
                       1 => new Part(F("""{"date_histogram":{"field":"@0","calendar_interval":"1d"}}""", name)),
                       2 => new Part(F("""{"max":{"field":"@0"}}""", name)),
                       3 => new Part(F("""{"histogram":{"field":"@0","interval":10}}""", verbatim)),
                       4 => new Part(F("""{"terms":{"field":"@0","include":"script.*"}}""", name)),
                       5 => new Part("""{"scripted_metric":{"map_script":"1"}}""", Refused: true),
                       6 => new Part(F("""{"terms":{"script":{"source":"doc['@0']"}}}""", name), Refused: true),
                       7 => new Part("""{"bucket_selector":{"buckets_path":{},"script":"1"}}""", Refused: true),
                       8 => new Part(F("""{"percentiles":{"field":"@0","script":"1"}}""", verbatim), Refused: true),
                       9 => new Part("""{"global":{}}""", CallerOnly: true),
                       _ => new Part(F("""{"value_count":{"field":"@0"}}""", name)),
                   };
        var filter = from query in Query(1) select Combine(F("""{"filter":@0}""", query.Json), [query]);
        var filters = from queries in Gen.ListOf(Query(1), 2)
                      select Combine(F("""{"filters":{"filters":{"a":@0,"b":@1}}}""", queries[0].Json, queries[1].Json), queries);
        var body = Gen.Frequency((5, leaf), (1, filter), (1, filters));
        if (depth <= 0)
        {
            return body;
        }

        // Sub-aggregations only under bucket aggregations (metrics refuse them).
        return from outer in body
               from subs in Aggregations(depth - 1)
               select outer.Json.StartsWith("{\"max\"", StringComparison.Ordinal) || outer.Json.StartsWith("{\"value_count\"", StringComparison.Ordinal) || subs.Json == "{}"
                   ? outer
                   : Combine(outer.Json[..^1] + ",\"aggs\":" + subs.Json + "}", [outer, subs]);
    }

    private static Gen<Part> Aggregations(int depth) =>
        from count in Gen.Choose(0, 3)
        from names in Gen.ListOf(Gen.Elements(AggregationNames), count)
        from specs in Gen.ListOf(Aggregation(depth), count)
        select Combine(
            "{" + string.Join(",", names.Select((n, i) => $"\"{n}_{i}\":{specs[i].Json}")) + "}",
            specs);

    private static Gen<Part> Sort =>
        from fields in Gen.ListOf(Gen.Elements(Fields), 2)
        from script in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new Part(
            "[" + string.Join(",", fields.Select(f => F("""{"@0":{"order":"desc"}}""", f))) + (script ? ",{\"_script\":{\"type\":\"number\",\"script\":\"1\"}}" : "") + "]",
            Refused: script);

    /// <summary>Top-level options: plain ones, scripts, and the ones that search outside the query.</summary>
    private static Gen<(string Key, Part Value)> Option => Gen.OneOf(
        from query in Query(2) select ("post_filter", query),
        Gen.Constant(("highlight", new Part("""{"fields":{"message":{}}}"""))),
        Gen.Constant(("pit", new Part("""{"id":"abc","keep_alive":"1m"}"""))),
        Gen.Constant(("collapse", new Part("""{"field":"status","inner_hits":{"name":"n","script_fields":{"x":{"script":"1"}}}}""", Refused: true))),
        Gen.Constant(("script_fields", new Part("""{"x":{"script":"1"}}""", Refused: true))),
        Gen.Constant(("runtime_mappings", new Part("""{"x":{"type":"keyword","script":"emit('a')"}}""", Refused: true))),
        Gen.Constant(("knn", new Part("""{"field":"v","query_vector":[1],"k":1,"num_candidates":1}""", CallerOnly: true))),
        Gen.Constant(("suggest", new Part("""{"s":{"text":"scirpt","term":{"field":"message"}}}""", CallerOnly: true))));

    private static Gen<Part> Body =>
        from query in Query(3)
        from withQuery in Gen.Elements(true, false)
        from aggs in Aggregations(2)
        from sort in Sort
        from withSort in Gen.Elements(true, false)
        from options in Gen.ListOf(Option, 2)
        let distinct = options.DistinctBy(o => o.Key).ToList()
        let members = new List<(string Key, Part Value)>(
            [.. withQuery ? [("query", query)] : Array.Empty<(string, Part)>(), ("aggs", aggs), .. withSort ? [("sort", sort)] : Array.Empty<(string, Part)>(), .. distinct])
        select Combine("{" + string.Join(",", members.Select(m => $"\"{m.Key}\":{m.Value.Json}")) + "}", members.Select(m => m.Value));

    private static Arbitrary<(Part Body, bool Admin)> Requests =>
        (from body in Body from admin in Gen.Elements(true, false) select (body, admin)).ToArbitrary();

    private static SearchCaller CallerOf(bool admin) => admin ? SearchCaller.Admin : new SearchCaller("alice", IsAdmin: false);

    [Property(MaxTest = 5000)]
    public Property The_policy_refuses_exactly_the_requests_that_hold_a_script_another_index_or_an_unscoped_part() =>
        Prop.ForAll(Requests, generated =>
        {
            var (body, admin) = generated;
            var caller = CallerOf(admin);
            SearchException? refusal = null;
            try
            {
                SearchScope.PrepareSearch(Body(body.Json), caller);
            }
            catch (SearchException e)
            {
                refusal = e;
            }

            return body.RefusedTo(caller)
                ? (refusal is { Type: "illegal_argument_exception", Status: 400 }).Label($"not refused or refused wrongly: {refusal?.Type} {refusal?.Reason} for {body.Json}")
                : (refusal is null).Label($"refused {refusal?.Reason} for {body.Json}");
        });

    [Property(MaxTest = 300)]
    public Property What_the_policy_lets_through_is_scoped_and_passes_the_policy_again() =>
        Prop.ForAll(Requests, generated =>
        {
            var (body, admin) = generated;
            var caller = CallerOf(admin);
            if (body.RefusedTo(caller))
            {
                return true.Label("refused (the other property)");
            }

            var written = SearchScope.PrepareSearch(Body(body.Json), caller);
            var again = SearchPolicy.Apply(SearchRequestParser.Parse(written), caller);
            if (admin)
            {
                return true.Label("admin");
            }

            // The store receives {"bool":{"must":[the caller's query],"filter":[{"term":{"user-id":"alice"}}]}}.
            var scoped = Assert.IsType<BoolNode>(SearchRequestParser.Parse(written).Query);
            return (scoped.Filter is [TermNode { Field: "user-id" } owner] && owner.Value.GetValue<string>() == "alice" && again.Query is BoolNode)
                .Label($"not scoped: {written.ToJsonString()}");
        });
}
