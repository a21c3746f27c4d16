using Jobs.Core.Storage;
using Jobs.Functions.Tests.Fakes;
using Jobs.UpdatesFunction;
using Jobs.UpdatesFunction.Lambda;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Functions.Tests.Lambda;

/// <summary>
/// The function's HTTP surface as Program wires it (AddUpdateConsumer + MapEvents) on an
/// in-memory store and a fixed clock, served in memory.
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

    public static async Task<EventsHost> StartAsync(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        var time = new ManualTime(TestMessages.T0.AddMinutes(20));
        var store = new FaultyJobStore(time);
        builder.Services.AddSingleton<IJobStore>(store);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddUpdateConsumer(builder.Configuration);
        var app = builder.Build();
        app.MapEvents();
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
