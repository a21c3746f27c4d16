using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Api.Tests.Es;

/// <summary>
/// The API on the embedded store, listening on a real loopback port (the official clients, node
/// and the browser need one), with five jobs: three of alice's (labels <c>even</c>/<c>odd</c>,
/// two running at progress 40 and 80) and two of bob's. A test stand-in for authentication
/// names the caller with <c>X-Test-User</c>; without it the caller is the anonymous administrator.
/// </summary>
public class EsHost : IAsyncLifetime
{
    public const string UserHeader = "X-Test-User";

    private JobsApiFactory? _factory;

    /// <summary>The API's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>What users give their Elasticsearch client: the API's root + <c>es</c>.</summary>
    public Uri EsUrl => new(BaseUrl, "es");

    public List<(string Id, string User)> Jobs { get; } = [];

    /// <summary>Every request under /es as "METHOD /path content-encoding" (to see what clients really send).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; } = new();

    public List<string> IdsOf(string user) => [.. Jobs.Where(j => j.User == user).Select(j => j.Id)];

    /// <summary>The browser origins CORS allows (the Elasticvue test serves Elasticvue on its own port).</summary>
    protected virtual string CorsOrigins => "*";

    public HttpClient Client(string? user = null)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(UserHeader, user);
        }

        return client;
    }

    public virtual async Task InitializeAsync()
    {
        _factory = JobsApiFactory.With(builder =>
        {
            builder.UseSetting("Jobs:Api:CorsOrigins", CorsOrigins);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new TestUserFilter(Requests)));
        });
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = new Uri(addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");

        using var admin = Client();
        await admin.DeployAsync("es-tests", "1");
        foreach (var (user, labels, progress) in (List<(string, string[], int?)>)[
            ("alice", ["even", "re-processing-3"], 40), ("alice", ["odd"], 80), ("alice", ["even"], null), ("bob", ["odd"], null), ("bob", ["even"], 40)])
        {
            using var client = Client(user);
            var (id, token) = await client.ExecuteAsync("es-tests:1", labels);
            Jobs.Add((id, user));
            if (progress is { } p)
            {
                var response = await client.UpdateAsync(id, token, $"\"status\":\"running\",\"progress\":{p}");
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    /// <summary>Records each /es request and names the caller from <see cref="UserHeader"/>, ahead of the API's own pipeline.</summary>
    private sealed class TestUserFilter(System.Collections.Concurrent.ConcurrentQueue<string> requests) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Path.StartsWithSegments("/es"))
                {
                    requests.Enqueue($"{context.Request.Method} {context.Request.Path} {context.Request.Headers.ContentEncoding}".TrimEnd());
                }

                if (context.Request.Headers.TryGetValue(UserHeader, out var user))
                {
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.ToString())], "test"));
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
