using Jobs.Core.Storage;
using Jobs.Functions.Tests.Fakes;
using Jobs.Hosting;
using Jobs.UpdatesFunction;
using Jobs.UpdatesFunction.Consumer;
using Jobs.UpdatesFunction.Lambda;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Functions.Tests.Lambda;

/// <summary>
/// The function's HTTP surface as Program wires it (AddServiceDefaults, AddUpdateConsumer,
/// MapEvents, MapDefaultEndpoints) on an in-memory store and a fixed clock, served in memory.
/// </summary>
internal sealed class EventsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EventsHost(WebApplication app, FaultyJobStore store)
    {
        _app = app;
        Store = store;
        Client = app.GetTestClient();
    }

    public FaultyJobStore Store { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<EventsHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(_ => { }, settings);

    /// <summary>A host with extra services registered after Program's (telemetry exporters, health checks).</summary>
    public static async Task<EventsHost> StartAsync(Action<IServiceCollection> configure, params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.AddServiceDefaults("jobs-updates", UpdateMetrics.MeterName);
        var time = new ManualTime(TestMessages.T0.AddMinutes(20));
        var store = new FaultyJobStore(time);
        builder.Services.AddSingleton<IJobStore>(store);
        builder.Services.AddHealthChecks().AddJobStoreCheck();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddUpdateConsumer(builder.Configuration);
        configure(builder.Services);
        var app = builder.Build();
        app.MapEvents();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return new EventsHost(app, store);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        Store.Dispose();
    }
}
