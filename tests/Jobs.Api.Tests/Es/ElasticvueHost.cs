using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobs.Api.Tests.Es;

/// <summary>
/// Elasticvue's web build served on its own loopback port (static files, with the single-page
/// app's fallback to index.html), and the API (<see cref="EsHost"/>) allowing that origin by CORS,
/// as an operator would configure it. Nothing starts where the build is absent; the test skips.
/// </summary>
public sealed class ElasticvueHost : EsHost
{
    private WebApplication? _elasticvue;

    public Uri? ElasticvueUrl { get; private set; }

    public static string Dist => Path.Combine(RepositoryPaths.Elasticvue, "dist");

    public static bool Present => File.Exists(Path.Combine(Dist, "index.html"));

    protected override string CorsOrigins => ElasticvueUrl?.GetLeftPart(UriPartial.Authority) ?? "";

    public override async Task InitializeAsync()
    {
        if (!Present)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Dist, WebRootPath = Dist });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _elasticvue = builder.Build();
        var files = new PhysicalFileProvider(Dist);
        _elasticvue.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        _elasticvue.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        _elasticvue.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files });
        await _elasticvue.StartAsync();
        var address = _elasticvue.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        ElasticvueUrl = new Uri(address + "/");
        await base.InitializeAsync();

        // Fifteen more jobs, so that the search screen has two pages of ten.
        using var client = Client();
        for (var i = 0; i < 15; i++)
        {
            var (id, _) = await client.ExecuteAsync("es-tests:1", "bulk", i % 2 == 0 ? "even" : "odd");
            Jobs.Add((id, "anonymous"));
        }
    }

    public override async Task DisposeAsync()
    {
        if (_elasticvue is not null)
        {
            await _elasticvue.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
