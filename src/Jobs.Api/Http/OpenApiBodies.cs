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
    public static RouteHandlerBuilder WithJsonBody(this RouteHandlerBuilder builder, string description) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() },
            };
            return Task.CompletedTask;
        });
}
