using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Jobs.Hosting;

/// <summary>
/// A host's default listening address, used only when nothing else names one. The default lives
/// here rather than in the launch profile's <c>applicationUrl</c> because <c>dotnet run</c> sets
/// that profile value over the caller's own <c>ASPNETCORE_URLS</c>; in code it gives way to
/// <c>ASPNETCORE_URLS</c>, <c>--urls</c>, <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c> and
/// Kestrel endpoints from configuration.
/// </summary>
public static class DefaultUrls
{
    public static WebApplicationBuilder ListenByDefaultOn(this WebApplicationBuilder builder, string url)
    {
        var configuration = builder.Configuration;
        var named = new[] { "urls", "http_ports", "https_ports" }.Any(key => !string.IsNullOrWhiteSpace(configuration[key]))
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!named)
        {
            builder.WebHost.UseUrls(url);
        }

        return builder;
    }
}
