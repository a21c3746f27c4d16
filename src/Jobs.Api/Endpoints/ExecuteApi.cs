using System.Text.Json;
using Jobs.Api.Http;
using Jobs.Api.Ogc;
using Jobs.Core.Execution;
using Jobs.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Endpoints;

/// <summary>
/// Execute a process: the seed's WPS-T form <c>POST /processes/{id}:{version}/jobs</c> and the
/// OGC 1.0 form <c>POST /processes/{id}/execution</c>. Both record a job (status submitted /
/// accepted) and answer 201 with its statusInfo, a Location header and the job's update token.
/// </summary>
public static class ExecuteApi
{
    public static IEndpointRouteBuilder MapExecute(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes").WithTags("Execution");
        group.MapPost("/{processId}/jobs", (string processId, HttpRequest request, IProcessRegistry registry, IJobStore store, RequestContext context, CancellationToken ct)
                => ExecuteAsync(ProcessRef.Parse(processId), request, registry, store, context, preferAsync: false, ct))
            .WithName("ExecuteWpsT")
            .WithSummary("Execute (WPS-T form): processId is id:version, or id for the latest version")
            .WithJsonBody("an execute request: seed/WPS-T encoding (inputs as [{id, data}]) or OGC 1.0 (inputs as a map), plus labels");
        group.MapPost("/{processId}/execution", (string processId, HttpRequest request, IProcessRegistry registry, IJobStore store, RequestContext context, CancellationToken ct)
                => ExecuteAsync(ProcessRef.Parse(processId), request, registry, store, context, PrefersAsync(request), ct))
            .WithName("Execute")
            .WithSummary("Execute (OGC API - Processes 1.0): always asynchronous, honours Prefer: respond-async")
            .WithJsonBody("an OGC 1.0 execute request (inputs as a map), or the seed encoding");
        return app;
    }

    private static bool PrefersAsync(HttpRequest request) =>
        request.Headers["Prefer"].Any(v => v is not null && v.Contains("respond-async", StringComparison.OrdinalIgnoreCase));

    private static async Task<Results<Created<StatusInfo>, ProblemHttpResult>> ExecuteAsync(
        ProcessRef reference,
        HttpRequest request,
        IProcessRegistry registry,
        IJobStore store,
        RequestContext context,
        bool preferAsync,
        CancellationToken ct)
    {
        var process = await registry.GetAsync(reference.Id, reference.Version, ct);
        if (process is null)
        {
            return Problems.NoSuchProcess(reference.ToString());
        }

        var (document, problem) = await RequestBody.ReadJsonAsync(request, context.Options.MaxRequestBytes, "execute request", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var execute = ExecuteRequestReader.Read(document!.RootElement);
            if (!execute.IsValid)
            {
                return Problems.Invalid(execute.Errors, "execute request");
            }

            var view = process.View();
            var inputErrors = ExecuteInputChecker.Check(execute.Value!, view);
            if (inputErrors.Any)
            {
                return Problems.Invalid(inputErrors, "execute request");
            }

            var created = JobFactory.Create(view, execute.Value!, context.UserId, context.Now);
            if (!await store.CreateAsync(created.Job, ct))
            {
                // A UUID v7 collision: practically impossible, but never overwrite a job.
                throw new InvalidOperationException($"Job id {created.Job.Id} already exists.");
            }

            if (preferAsync)
            {
                request.HttpContext.Response.Headers["Preference-Applied"] = "respond-async";
            }

            var links = context.Links;
            var status = StatusInfoMapper.ToStatusInfo(created.Job, links, detailed: true) with { UpdateToken = created.UpdateToken };
            return TypedResults.Created(links.Url($"/jobs/{LinkBuilder.Escape(created.Job.Id)}"), status);
        }
    }
}
