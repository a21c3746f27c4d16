using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Identity;

/// <summary>
/// Authentication and authorization of the API. Schemes: JWT bearer from ASP.NET Core's standard
/// <c>Authentication:Schemes:Bearer</c> section (authority discovery and key rotation are the
/// handler's own), API keys from <c>Jobs:Auth:ApiKeys</c>, and, when neither is configured, the
/// local anonymous administrator. Every endpoint needs an authenticated caller unless it says
/// <c>AllowAnonymous</c>; deploy and undeploy need <see cref="AdminPolicy"/>.
/// </summary>
public static class IdentityExtensions
{
    /// <summary>The default scheme: sends each request to the scheme its credentials are for.</summary>
    public const string JobsScheme = "Jobs";

    public const string AdminPolicy = "jobs-admin";

    public static IServiceCollection AddJobsIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.ApiKeys.All(k => k.Sha256.Length == 64 && k.Sha256.All(char.IsAsciiHexDigitLower)),
                "Jobs:Auth:ApiKeys:{n}:Sha256 must be the lowercase hex SHA-256 of the key (run: dotnet run --project src/Jobs.Api -- new-api-key).")
            .Validate(o => o.ApiKeys.All(k => k.User.Length > 0), "Jobs:Auth:ApiKeys:{n}:User must name the user the key acts as.")
            .ValidateOnStart();

        var schemes = AuthSchemes.From(configuration);
        services.AddSingleton(schemes);
        var authentication = services.AddAuthentication(JobsScheme)
            .AddPolicyScheme(JobsScheme, JobsScheme, o => o.ForwardDefaultSelector = context =>
                schemes.IsLocal ? LocalCallerHandler.SchemeName
                : schemes.ApiKeys && (!schemes.Bearer || ApiKeyHandler.IsPresented(context.Request)) ? ApiKeyHandler.SchemeName
                : JwtBearerDefaults.AuthenticationScheme);
        if (schemes.IsLocal)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, LocalCallerHandler>(LocalCallerHandler.SchemeName, null);
        }

        if (schemes.ApiKeys)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        }

        if (schemes.Bearer)
        {
            // Authority, ValidAudiences, ValidIssuer, RequireHttpsMetadata, … are bound by the
            // handler itself from Authentication:Schemes:Bearer.
            authentication.AddJwtBearer();
            services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                // Claims keep their names as issued ("sub", "roles", "cognito:groups"), so the
                // configured claim names are the token's own.
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters.NameClaimType = auth.Value.UserClaim;
                jwt.TokenValidationParameters.RoleClaimType = auth.Value.RolesClaim;
            });
        }

        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AccessRefusals>();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(JobsScheme).RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(JobsScheme).RequireAuthenticatedUser()
                .RequireAssertion(context => context.Resource is HttpContext http && Caller.From(http).IsAdmin));
        return services;
    }

    /// <summary>Authentication, rate limits and authorization (with start-up warnings about risky settings).</summary>
    public static WebApplication UseJobsIdentity(this WebApplication app)
    {
        var schemes = app.Services.GetRequiredService<AuthSchemes>();
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (schemes.IsLocal && options.AllowAnonymousRemote)
        {
            app.Logger.LogWarning(
                "No authentication is configured and Jobs:Auth:AllowAnonymousRemote is true: every caller, from any address, is the administrator.");
        }

        var bearer = app.Configuration.GetSection(AuthSchemes.BearerSection);
        if (schemes.Bearer && !bearer.GetSection("ValidAudiences").GetChildren().Any() && string.IsNullOrEmpty(bearer["ValidAudience"]))
        {
            app.Logger.LogWarning(
                "{Section} has no ValidAudiences: tokens of the authority are accepted whatever client they were issued to. "
                + "Set ValidAudiences, or keep an authorizer that checks the audience (the HTTP API's JWT authorizer) in front.", AuthSchemes.BearerSection);
        }

        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication: the partition is the user
        app.UseAuthorization();
        return app;
    }
}
