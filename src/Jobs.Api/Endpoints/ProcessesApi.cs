using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Api.Http;
using Jobs.Api.Identity;
using Jobs.Api.Ogc;
using Jobs.Core.Processes;
using Jobs.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Endpoints;

/// <summary>The process registry: list, describe, deploy (OGC Application Package), undeploy.</summary>
public static class ProcessesApi
{
    public static IEndpointRouteBuilder MapProcesses(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes").WithTags("Processes");
        group.MapGet("/", ListAsync).WithName("ListProcesses").WithSummary("Deployed processes (latest version of each)");
        group.MapGet("/{processId}", DescribeAsync).WithName("DescribeProcess")
            .WithSummary("Describe a process: id for the latest version, or id:version");
        group.MapPost("/", DeployAsync).WithName("DeployProcess")
            .WithSummary("Deploy a process from an OGC Application Package")
            .WithJsonBody("an OGC Application Package: {\"processDescription\": {...}, \"executionUnit\": {...}}")
            .RequireAuthorization(IdentityExtensions.AdminPolicy);
        group.MapDelete("/{processId}", UndeployAsync).WithName("UndeployProcess")
            .WithSummary("Undeploy a process: id for every version, or id:version for one")
            .RequireAuthorization(IdentityExtensions.AdminPolicy);
        return app;
    }

    private static async Task<Ok<ProcessList>> ListAsync(IProcessRegistry registry, RequestContext context, CancellationToken ct)
    {
        var all = await registry.ListAsync(ct);
        var summaries = all
            .GroupBy(p => p.Id, StringComparer.Ordinal)
            .Select(g => Summary(g.OrderBy(p => p.Deployed).Last(), g.Select(p => p.Version).ToList(), context.Links))
            .ToList();
        return TypedResults.Ok(new ProcessList(summaries, [new Link(context.Links.Url("/processes"), "self", "application/json")]));
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> DescribeAsync(
        string processId, IProcessRegistry registry, RequestContext context, CancellationToken ct)
    {
        var reference = ProcessRef.Parse(processId);
        var process = await registry.GetAsync(reference.Id, reference.Version, ct);
        if (process is null)
        {
            return Problems.NoSuchProcess(reference.ToString());
        }

        var description = JsonNode.Parse(process.Description.GetRawText())!.AsObject();
        description["links"] = JsonSerializer.SerializeToNode(ProcessLinks(process, context.Links));
        return TypedResults.Ok(description);
    }

    private static async Task<Results<Created<ProcessSummary>, ProblemHttpResult>> DeployAsync(
        HttpRequest request, IProcessRegistry registry, RequestContext context, CancellationToken ct)
    {
        var (document, problem) = await RequestBody.ReadJsonAsync(request, context.Options.MaxRequestBytes, "application package", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var package = ApplicationPackageReader.Read(document!.RootElement, context.Now);
            if (!package.IsValid)
            {
                return Problems.Invalid(package.Errors, "application package");
            }

            var process = package.Value!;
            if (!await registry.DeployAsync(process, ct))
            {
                return Problems.Problem(
                    StatusCodes.Status409Conflict, ProblemTypes.DuplicatedProcess, "Process already deployed",
                    $"Process {process.Id} version {process.Version} is already deployed. Deploy a new version, or undeploy it first with DELETE /processes/{process.Id}:{process.Version}.");
            }

            var summary = Summary(process, null, context.Links);
            return TypedResults.Created(context.Links.Url($"/processes/{LinkBuilder.Escape(process.Id)}"), summary);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UndeployAsync(
        string processId, IProcessRegistry registry, CancellationToken ct)
    {
        var reference = ProcessRef.Parse(processId);
        var removed = await registry.UndeployAsync(reference.Id, reference.Version, ct);
        return removed == 0 ? Problems.NoSuchProcess(reference.ToString()) : TypedResults.NoContent();
    }

    private static ProcessSummary Summary(ProcessDefinition process, IReadOnlyList<string>? versions, LinkBuilder links)
    {
        var view = process.View();
        var description = process.Description.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        return new ProcessSummary
        {
            Id = process.Id,
            Version = process.Version,
            Title = view.Title,
            Description = description,
            JobControlOptions = view.JobControlOptions,
            Versions = versions,
            Links = ProcessLinks(process, links),
        };
    }

    private static List<Link> ProcessLinks(ProcessDefinition process, LinkBuilder links)
    {
        var id = LinkBuilder.Escape(process.Id);
        var versioned = $"{id}:{LinkBuilder.Escape(process.Version)}";
        return
        [
            new Link(links.Url($"/processes/{versioned}"), "self", "application/json", "process description"),
            new Link(links.Url($"/processes/{id}/execution"), Rels.Execute, "application/json", "execute (OGC 1.0, latest version)"),
            new Link(links.Url($"/processes/{versioned}/jobs"), "http://www.opengis.net/def/rel/ogc/1.0/job-list", "application/json", "execute this version (WPS-T) and list its jobs"),
        ];
    }
}
