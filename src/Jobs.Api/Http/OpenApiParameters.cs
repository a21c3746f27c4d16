using Microsoft.OpenApi;

namespace Jobs.Api.Http;

/// <summary>
/// Documents the query parameters of <c>GET /jobs</c>, which the handler reads from the query
/// itself (the OGC job list's own rules: repeated or comma-separated values), so that client
/// generators offer them.
/// </summary>
public static class OpenApiParameters
{
    private static readonly (string Name, JsonSchemaType Type, bool Many, string Description)[] List =
    [
        ("processID", JsonSchemaType.String, true, "process id, or id:version"),
        ("status", JsonSchemaType.String, true, "accepted, running, successful, failed, dismissed (or the index's names)"),
        ("type", JsonSchemaType.String, true, "process (the only type of job)"),
        ("datetime", JsonSchemaType.String, false, "created at or within an interval: an instant, or start/end with .. for open ends"),
        ("minDuration", JsonSchemaType.Integer, false, "at least this many seconds of running"),
        ("maxDuration", JsonSchemaType.Integer, false, "at most this many seconds of running"),
        ("limit", JsonSchemaType.Integer, false, "jobs per page (default 10)"),
        ("labels", JsonSchemaType.String, true, "labels the job must all have"),
        ("user", JsonSchemaType.String, true, "user ids (administrators)"),
        ("q", JsonSchemaType.String, false, "free text (simple query string)"),
        ("next", JsonSchemaType.String, false, "the cursor of the next link"),
    ];

    public static RouteHandlerBuilder WithListParameters(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, type, many, description) in List)
            {
                var value = new OpenApiSchema { Type = type };
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Description = description,
                    Schema = many ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = value } : value,
                    Explode = many,
                    Style = many ? ParameterStyle.Form : null,
                });
            }

            return Task.CompletedTask;
        });
}
