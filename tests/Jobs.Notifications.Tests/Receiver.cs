using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Jobs.Notifications.Tests;

/// <summary>One request the receiver got.</summary>
public sealed record Received(string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Answered)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel) that records every request and answers what the
/// test says: 200 by default, a queue of statuses to fail on purpose, or a redirect.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private Receiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public string Url { get; private set; } = "";

    /// <summary>Where to redirect <c>/redirect</c> requests.</summary>
    public string? RedirectTo { get; set; }

    /// <summary>What to answer when no queued status is left.</summary>
    public int DefaultStatus { get; set; } = 200;

    public static async Task<Receiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = app.Urls.First();
        return receiver;
    }

    /// <summary>Answers these statuses to the next requests, in order.</summary>
    public void FailNext(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _answers.Enqueue(status);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived.</summary>
    public async Task<List<Received>> WaitForAsync(int count, TimeSpan? patience = null)
    {
        using var cts = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(30));
        while (Requests.Count < count)
        {
            await _arrived.WaitAsync(cts.Token);
        }

        return [.. Requests];
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (context.Request.Path == "/redirect" && RedirectTo is not null)
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = RedirectTo;
            Record(context, body, 307);
            return;
        }

        var status = _answers.TryDequeue(out var queued) ? queued : DefaultStatus;
        context.Response.StatusCode = status;
        if (status >= 400)
        {
            await context.Response.WriteAsync(new string('x', 10_000)); // longer than the sender reads
        }

        Record(context, body, status);
    }

    private void Record(HttpContext context, MemoryStream body, int status)
    {
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new Received(context.Request.Path, context.Request.QueryString.Value ?? "", headers, body.ToArray(), status));
        _arrived.Release();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }
}
