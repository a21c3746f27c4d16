using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Jobs.Api.Http;

/// <summary>
/// Makes the generated OpenAPI document one that client generators and linters accept (the
/// recommended rules of Redocly's linter; tests/Jobs.Api.Tests runs it): servers without a trailing
/// slash, one operationId per operation (a route that serves GET and POST gets one per method),
/// the error answers documented (RFC 9457 problem details, or Elasticsearch's error shape on the
/// Elasticsearch-compatible routes), tags described, and every operation's security stated.
/// Summaries are set on each route.
/// </summary>
public static class OpenApiDocumentRules
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ElasticsearchErrorSchema = "ElasticsearchError";

    /// <summary>What each tag of the API groups.</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Capabilities"] = "The landing page, conformance classes and the API definition (OGC API - Common).",
        ["Processes"] = "Deployed processes: list, describe, deploy and undeploy (OGC API - Processes Parts 1 and 2).",
        ["Execution"] = "Execute a process: create a job (WPS-T and OGC 1.0 forms).",
        ["Jobs"] = "Jobs: list, status, results, dismiss, history, and the workers' updates.",
        ["Events"] = "Live job events as Server-Sent Events, resumable from Last-Event-ID.",
        ["Subscriptions"] = "Webhook and e-mail subscriptions to job events, and their deliveries.",
        ["Jobs (ADES paths)"] = "The job routes at the paths the Unity ADES used, for existing clients.",
        ["Search (Elasticsearch-compatible)"] = "Search of the jobs index with the Elasticsearch query DSL: request and response bodies as Elasticsearch's.",
        ["Health"] = "Readiness (the store is reachable) and liveness.",
        ["Elasticsearch-compatible endpoint (/es)"] = "A read-only Elasticsearch endpoint for the official clients and Elasticvue.",
    };

    public static OpenApiOptions AddDocumentRules(this OpenApiOptions options) =>
        options.AddDocumentTransformer((document, _, _) =>
        {
            Apply(document);
            return Task.CompletedTask;
        });

    public static void Apply(OpenApiDocument document)
    {
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/') is { Length: > 0 } url ? url : "/";
        }

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        document.Components.Schemas.TryAdd(ProblemSchema, Problem());
        document.Components.Schemas.TryAdd(ElasticsearchErrorSchema, ElasticsearchError());

        var operations = (document.Paths ?? [])
            .SelectMany(path => (path.Value.Operations ?? []).Select(op => (Path: path.Key, Method: op.Key, Operation: op.Value)))
            .ToList();
        foreach (var group in operations.Where(o => o.Operation.OperationId is not null).GroupBy(o => o.Operation.OperationId).Where(g => g.Count() > 1))
        {
            foreach (var (_, method, operation) in group)
            {
                operation.OperationId += Capitalized(method.Method);
            }
        }

        foreach (var (path, _, operation) in operations)
        {
            operation.Responses ??= [];
            if (!operation.Responses.Keys.Any(code => code.StartsWith('4')))
            {
                operation.Responses["4XX"] = ErrorResponse(document, IsElasticsearchShaped(path));
            }
        }

        // Until authentication is configured there is no scheme to name: each operation then says
        // so with an empty requirement (anonymous access), which is the truth. Once the host
        // declares security schemes, operations inherit the document's requirement instead.
        if (document.Components.SecuritySchemes is not { Count: > 0 })
        {
            foreach (var (_, _, operation) in operations)
            {
                operation.Security ??= [new OpenApiSecurityRequirement()];
            }
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Description is null && tag.Name is not null && TagDescriptions.TryGetValue(tag.Name, out var description))
            {
                tag.Description = description;
            }
        }
    }

    /// <summary>The routes that answer Elasticsearch's error shape rather than problem details.</summary>
    private static bool IsElasticsearchShaped(string path) =>
        path.StartsWith("/jobs/_", StringComparison.Ordinal) || path == "/es" || path.StartsWith("/es/", StringComparison.Ordinal);

    private static OpenApiResponse ErrorResponse(OpenApiDocument document, bool elasticsearch) => elasticsearch
        ? new OpenApiResponse
        {
            Description = "Refused: Elasticsearch's error shape (error.type and error.reason say why)",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(ElasticsearchErrorSchema, document) },
            },
        }
        : new OpenApiResponse
        {
            Description = "Refused: RFC 9457 problem details (type, title, detail; errors names the fields)",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details; OGC exception types where OGC defines one, urn:jobs:… otherwise.",
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Field path -> messages, for invalid requests.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };

    private static OpenApiSchema ElasticsearchError() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Elasticsearch's error body.",
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["error"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                {
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["reason"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["root_cause"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Object } },
                },
            },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
        },
    };

    private static string Capitalized(string method) => method.Length == 0 ? method : char.ToUpperInvariant(method[0]) + method[1..].ToLowerInvariant();
}
