using Microsoft.OpenApi;

namespace Jobs.Api.Http;

/// <summary>
/// Documents a JSON request body in the OpenAPI document without <c>Accepts</c> metadata:
/// <c>Accepts</c> would make routing refuse requests without <c>Content-Type: application/json</c>,
/// and these endpoints read any body that parses as JSON (Elasticsearch clients and plain
/// <c>curl -d</c> often send another content type).
/// </summary>
public static class OpenApiBodies
{
    /// <param name="builder">The route.</param>
    /// <param name="description">What the body is.</param>
    /// <param name="schema">Its shape, where one fits every accepted form (client generators then type it).</param>
    public static RouteHandlerBuilder WithJsonBody(this RouteHandlerBuilder builder, string description, IOpenApiSchema? schema = null) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
            return Task.CompletedTask;
        });

    /// <summary>
    /// An execute request as both encodings share it: <c>inputs</c> (OGC 1.0's map of input id to
    /// value; the seed's <c>[{id, data}]</c> array is accepted too, but a schema with both forms
    /// defeats generators), <c>outputs</c>, <c>labels</c>, <c>subscriber</c>, <c>mode</c>, <c>response</c>.
    /// </summary>
    public static OpenApiSchema ExecuteRequest() => new()
    {
        Type = JsonSchemaType.Object,
        Title = "ExecuteRequest",
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["inputs"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "input id -> value", AdditionalProperties = new OpenApiSchema() },
            ["outputs"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "output id -> {transmissionMode}", AdditionalProperties = new OpenApiSchema() },
            ["labels"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            ["subscriber"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                {
                    ["successUri"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["failedUri"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["inProgressUri"] = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            },
            ["mode"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "async (the only mode served)" },
            ["response"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "document or raw: how results are returned" },
        },
    };
}
