using Jobs.Api.Identity;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Ui;

/// <summary>
/// The jobs page: static files embedded in the assembly (<c>Ui/wwwroot</c>, no CDN, nothing
/// fetched from elsewhere at run time) under <c>/ui/</c>, and <c>/ui/config.json</c>, which tells
/// the page how callers sign in. The files are public like <c>/docs</c>: they hold no data, and
/// every call the page makes goes through the API's own authentication and rules. Each answer
/// under <c>/ui</c> carries a strict Content-Security-Policy (scripts and styles from this
/// origin only, no inline code, connections to this origin and the OpenID provider only).
/// </summary>
public static class UiApi
{
    public const string Path = "/ui";

    public static IServiceCollection AddJobsUi(this IServiceCollection services)
    {
        services.AddOptions<UiOptions>().BindConfiguration(UiOptions.SectionName)
            .Validate(o => o.OidcToken is "access_token" or "id_token", "Jobs:Ui:OidcToken must be access_token or id_token.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Serves the page's files; call after the browser-safety headers, before authentication.</summary>
    public static WebApplication UseJobsUi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<UiOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var files = new ManifestEmbeddedFileProvider(typeof(UiApi).Assembly, "Ui/wwwroot");
        var policy = ContentSecurityPolicy(Authority(app.Configuration, options));
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch =>
        {
            branch.Use((context, next) =>
            {
                context.Response.Headers.ContentSecurityPolicy = policy;
                return next(context);
            });
            branch.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
            branch.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                RequestPath = Path,
                ContentTypeProvider = new FileExtensionContentTypeProvider(),
                // Revalidate every time: a new version of the API must not run an old page.
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
            });
        });
        return app;
    }

    /// <summary><c>/ui/config.json</c>: how callers sign in (<c>/ui</c> itself redirects to <c>/ui/</c>, the default files' rule).</summary>
    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/config.json", (IOptions<UiOptions> ui, AuthSchemes schemes, IConfiguration configuration) =>
        {
            var options = ui.Value;
            var authority = Authority(configuration, options);
            return TypedResults.Ok(new UiConfig(
                schemes.IsLocal ? "local" : "signed-in",
                schemes.ApiKeys,
                schemes.Bearer && authority is not null && !string.IsNullOrEmpty(options.OidcClientId)
                    ? new UiOidc(authority.TrimEnd('/'), options.OidcClientId!, options.OidcScope, options.OidcToken)
                    : null));
        });
        return app;
    }

    private static string? Authority(IConfiguration configuration, UiOptions options) =>
        options.OidcAuthority is { Length: > 0 } own ? own : configuration[$"{AuthSchemes.BearerSection}:Authority"];

    /// <summary>Only this origin's files run; the page talks to this origin and, to sign in, to the provider.</summary>
    private static string ContentSecurityPolicy(string? authority)
    {
        var provider = Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? " " + uri.GetLeftPart(UriPartial.Authority) : "";
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + $"connect-src 'self'{provider}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    }
}
