using Jobs.Api.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Jobs.Api.Http;

/// <summary>
/// The OpenAPI document's security, as the running host accepts callers: a <c>Bearer</c> scheme
/// (JWT from the OpenID Connect provider) when <c>Authentication:Schemes:Bearer</c> is configured,
/// an <c>ApiKey</c> scheme (the <c>Authorization: ApiKey &lt;key&gt;</c> header) when API keys
/// are, and on each operation either of them, or none where the route is anonymous (the landing
/// page, health, worker updates, which carry the job's token in the body). Protected operations
/// also document their 401. With nothing configured (the single-machine default) no scheme exists,
/// and <see cref="OpenApiDocumentRules"/> marks every operation as needing none.
/// </summary>
public static class OpenApiSecurity
{
    public const string BearerScheme = "Bearer";
    public const string ApiKeyScheme = "ApiKey";

    public static OpenApiOptions AddSecurityRules(this OpenApiOptions options) =>
        options.AddOperationTransformer((operation, context, _) =>
        {
            var schemes = context.ApplicationServices.GetRequiredService<AuthSchemes>();
            if (schemes.IsLocal || context.Document is not { } document)
            {
                return Task.CompletedTask;
            }

            Declare(document, schemes);
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement()];
                return Task.CompletedTask;
            }

            // Either scheme is enough: one requirement object per scheme.
            operation.Security = [.. Names(schemes).Select(name => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(name, document)] = [] })];
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse
            {
                Description = $"No credentials, or refused ones: WWW-Authenticate names the schemes ({string.Join(", ", Names(schemes))})",
            });
            return Task.CompletedTask;
        });

    private static IEnumerable<string> Names(AuthSchemes schemes) =>
        (schemes.Bearer ? [BearerScheme] : Array.Empty<string>()).Concat(schemes.ApiKeys ? [ApiKeyScheme] : []);

    private static void Declare(OpenApiDocument document, AuthSchemes schemes)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        if (schemes.Bearer)
        {
            document.Components.SecuritySchemes.TryAdd(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT from the configured OpenID Connect provider (Authentication:Schemes:Bearer).",
            });
        }

        if (schemes.ApiKeys)
        {
            document.Components.SecuritySchemes.TryAdd(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "Authorization",
                Description = "An API key (Jobs:Auth:ApiKeys), sent as the header value `ApiKey <key>`.",
            });
        }
    }
}
