using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Jobs.Api.Tests.Ui;

/// <summary>
/// The API on a real loopback port (the browser needs one) and headless Chromium (Debian's
/// <c>/usr/bin/chromium</c>: Playwright cannot download browsers here). Subclasses choose how
/// callers authenticate. <see cref="Unavailable"/> says why the browser tests must skip.
/// </summary>
public abstract class UiHost : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private JobsApiFactory? _factory;
    private IPlaywright? _playwright;

    public Uri BaseUrl { get; private set; } = null!;

    public Uri PageUrl => new(BaseUrl, "ui/");

    public IBrowser Browser { get; private set; } = null!;

    public virtual string? Unavailable => File.Exists(Chromium) ? null : $"{Chromium} is absent (apt-get install chromium; Playwright cannot download browsers here)";

    /// <summary>Where this run's screenshots go: TestResults/ui under the repository root.</summary>
    public static string Screenshots => Path.Combine(Es.RepositoryPaths.Root, "TestResults", "ui");

    protected abstract void Configure(Dictionary<string, string?> settings);

    /// <summary>A client of the API as the given caller (null: the host's administrator or the local caller).</summary>
    public abstract HttpClient Client(string? user = null);

    public virtual async Task InitializeAsync()
    {
        if (Unavailable is not null)
        {
            return;
        }

        var settings = new Dictionary<string, string?>();
        Configure(settings);
        _factory = JobsApiFactory.With(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address + "/");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>A new tab (own session storage) on a 1280×860 screen, waiting at most 20 s for anything.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 }, Locale = "en-GB", TimezoneId = "UTC" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public virtual async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }

        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
