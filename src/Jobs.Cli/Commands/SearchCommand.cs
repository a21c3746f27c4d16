using System.CommandLine;
using System.Text.Json.Nodes;
using Jobs.Cli.Inputs;
using Jobs.Cli.Output;

namespace Jobs.Cli.Commands;

/// <summary>
/// <c>jobsctl search</c>: the Elasticsearch query DSL on <c>POST /jobs/_search</c>. The request is
/// given inline (<c>'{"query":…}'</c>, or just a query clause <c>'{"term":{"labels":"x"}}'</c>),
/// from a file (<c>@request.json</c>, JSON or YAML), or as a query string with <c>--q</c>.
/// </summary>
internal static class SearchCommand
{
    /// <summary>Top-level keys of a search request; any other object is taken as a query clause.</summary>
    private static readonly HashSet<string> RequestKeys =
        ["query", "aggs", "aggregations", "size", "from", "sort", "_source", "search_after", "track_total_hits", "post_filter"];

    public static Command Create(CliContext context)
    {
        var request = new Argument<string?>("request") { Description = "A search request or query clause as JSON, or @file", Arity = ArgumentArity.ZeroOrOne };
        var q = new Option<string?>("--q") { Description = "A query_string query instead, e.g. 'labels:campaign-3 AND status:failed'", HelpName = "query" };
        var size = new Option<int?>("--size") { Description = "Hits to return (default: the request's, else 10)", HelpName = "n" };
        var output = CommandActions.OutputOption("table", "json", "ids");
        output.Description = "Output: table (the hits as jobs; aggregations as JSON below), json (the whole Elasticsearch response), ids";
        var command = new Command("search", "Search jobs with the Elasticsearch query DSL (inline, @file or --q).") { request, q, size, output };
        return command.WithClient(context, async (parse, client, ct) =>
        {
            var body = Body(parse.GetValue(request), parse.GetValue(q));
            if (parse.GetValue(size) is { } n)
            {
                body["size"] = n;
            }

            var answer = (await client.SendAsync(HttpMethod.Post, "jobs/_search", body, null, ct)).Body ?? new JsonObject();
            var hits = new JsonArray([.. (answer["hits"]?["hits"] as JsonArray ?? []).OfType<JsonObject>().Select(h => h["_source"]?.DeepClone() ?? new JsonObject { ["id"] = h["_id"]?.ToString() })]);
            switch (parse.GetValue(output))
            {
                case "json":
                    JobTables.WriteJson(context, answer);
                    break;
                case "ids":
                    foreach (var hit in (answer["hits"]?["hits"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        await context.Out.WriteLineAsync(hit["_id"]?.ToString());
                    }

                    break;
                default:
                    JobTables.Jobs(context, hits.OfType<JsonNode>());
                    await context.Out.WriteLineAsync($"{answer["hits"]?["total"]?["value"]} total");
                    if (answer["aggregations"] is JsonObject aggregations)
                    {
                        JobTables.WriteJson(context, aggregations);
                    }

                    break;
            }

            return ExitCodes.Ok;
        });
    }

    private static JsonObject Body(string? request, string? q)
    {
        if (request is not null && q is not null)
        {
            throw new CliException(ExitCodes.Usage, "give a request or --q, not both");
        }

        if (q is not null)
        {
            return new JsonObject { ["query"] = new JsonObject { ["query_string"] = new JsonObject { ["query"] = q } } };
        }

        if (request is null)
        {
            return new JsonObject { ["query"] = new JsonObject { ["match_all"] = new JsonObject() } };
        }

        var parsed = request.StartsWith('@')
            ? JsonOrYaml.ReadFile(request[1..], "search request")
            : JsonOrYaml.Parse(request, "the search request");
        if (parsed is not JsonObject json)
        {
            throw new CliException(ExitCodes.Usage, "the search request must be a JSON object, e.g. '{\"query\":{\"term\":{\"labels\":\"x\"}}}'");
        }

        return json.Count > 0 && json.All(p => RequestKeys.Contains(p.Key)) ? json : new JsonObject { ["query"] = json };
    }
}
