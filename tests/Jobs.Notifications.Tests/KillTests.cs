using System.Net;
using System.Text.Json.Nodes;
using Jobs.Core.Notifications;
using Jobs.Tests.Shared;

namespace Jobs.Notifications.Tests;

/// <summary>
/// kill -9 of the API host between job changes and their deliveries: the receiver refuses
/// everything while the host runs, the host is killed (SIGKILL: no shutdown, no flush), the
/// receiver starts accepting, the host starts again on the same data. Every change the API
/// acknowledged must then be delivered, in order, and nothing else.
/// </summary>
public sealed class KillTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "jobs-notify-kill", Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Receiver _receiver = null!;
    private ApiProcess? _host;

    public async Task InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async Task DisposeAsync()
    {
        _host?.Dispose();
        _http.Dispose();
        await _receiver.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // a temporary directory left behind is harmless
        }
    }

    [Fact]
    public async Task After_kill_9_exactly_the_acknowledged_events_are_delivered_in_order()
    {
        var api = ApiProcess.FreeUrl();
        _receiver.DefaultStatus = 503; // nothing gets through before the kill
        _host = await StartHostAsync(api);

        await Post($"{api}/processes", """
            {"processDescription":{"id":"kill","version":"1","title":"t","inputs":{"x":{"schema":{"type":"string"}}},
             "outputs":{"output":{"schema":{"type":"string"}}}},"executionUnit":{"type":"application/cwl","href":"https://example.org/k.cwl"}}
            """, HttpStatusCode.Created);
        var job = JsonNode.Parse(await Post($"{api}/processes/kill:1/jobs",
            $$"""{"inputs":{"x":"v"},"notifications":[{"url":"{{_receiver.Url}}/hook","event":"*","persistent":true}]}""", HttpStatusCode.Created))!;
        var jobId = job["jobID"]!.GetValue<string>();
        var token = job["updateToken"]!.GetValue<string>();
        var acknowledged = new List<string> { "created" };
        var t0 = DateTimeOffset.UtcNow;
        await Post($"{api}/jobs/{jobId}/updates", Update(jobId, token, "running-1", t0, "\"status\":\"running\",\"progress\":1"), HttpStatusCode.OK);
        acknowledged.Add("status");
        for (var i = 2; i <= 6; i++)
        {
            await Post($"{api}/jobs/{jobId}/updates", Update(jobId, token, $"p{i}", t0.AddSeconds(i), $"\"progress\":{i * 10}"), HttpStatusCode.OK);
            acknowledged.Add("progress");
        }

        await Post($"{api}/jobs/{jobId}/updates", Update(jobId, token, "done", t0.AddSeconds(9), "\"status\":\"succeeded\""), HttpStatusCode.OK);
        acknowledged.Add("status");

        await _host.KillAsync(); // SIGKILL, right after the last acknowledgement
        _host.Dispose();
        var beforeRestart = _receiver.Requests.Count(r => r.Answered == 200);
        _receiver.DefaultStatus = 200;
        _host = await StartHostAsync(api);

        var delivered = await DeliveredAsync(acknowledged.Count);

        Assert.Equal(0, beforeRestart);
        Assert.Equal(acknowledged, delivered.Select(d => d.Type));
        Assert.Equal(delivered.Select(d => d.EventId).Order(), delivered.Select(d => d.EventId));
        Assert.Equal("successful", delivered[^1].Status);
        Assert.Equal([1, 20, 30, 40, 50, 60, 60], delivered.Skip(1).Select(d => d.Progress));
    }

    /// <summary>The distinct events the receiver accepted (200), in the order they first arrived.</summary>
    private async Task<List<(long EventId, string Type, string Status, int? Progress)>> DeliveredAsync(int count)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var accepted = _receiver.Requests.Where(r => r.Answered == 200)
                .Select(r => (Id: long.Parse(r.Headers[WebhookSignature.EventIdHeader], System.Globalization.CultureInfo.InvariantCulture), Body: JsonNode.Parse(r.Text)!))
                .DistinctBy(r => r.Id)
                .Select(r => (r.Id, r.Body["type"]!.GetValue<string>(), r.Body["status"]!.GetValue<string>(), r.Body["progress"]?.GetValue<int>()))
                .ToList();
            if (accepted.Count >= count)
            {
                // Let a straggler show itself: nothing beyond the acknowledged events may arrive.
                await Task.Delay(TimeSpan.FromSeconds(1));
                return [.. _receiver.Requests.Where(r => r.Answered == 200)
                    .Select(r => (Id: long.Parse(r.Headers[WebhookSignature.EventIdHeader], System.Globalization.CultureInfo.InvariantCulture), Body: JsonNode.Parse(r.Text)!))
                    .DistinctBy(r => r.Id)
                    .Select(r => (r.Id, r.Body["type"]!.GetValue<string>(), r.Body["status"]!.GetValue<string>(), r.Body["progress"]?.GetValue<int>()))];
            }

            await _receiver.WaitForAsync(_receiver.Requests.Count + 1, TimeSpan.FromSeconds(60)).WaitAsync(patience.Token);
        }
    }

    private static string Update(string jobId, string token, string id, DateTimeOffset time, string fields) =>
        $$"""{"version":1,"id":"{{id}}","job-id":"{{jobId}}","token":"{{token}}","time":"{{time:O}}",{{fields}}}""";

    private async Task<string> Post(string url, string json, HttpStatusCode expected)
    {
        using var response = await _http.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{url}: {(int)response.StatusCode} {text}");
        return text;
    }

    private Task<ApiProcess> StartHostAsync(string url) => ApiProcess.StartAsync(url, new Dictionary<string, string>
    {
        ["Jobs__Embedded__DataPath"] = _data,
        ["Jobs__Notifications__AllowedHosts__0"] = "127.0.0.1",
        ["Jobs__Notifications__RetryInitialSeconds"] = "0.2",
        ["Jobs__Notifications__RetryMaxSeconds"] = "0.5",
        ["Jobs__Notifications__MaxAttempts"] = "1000",
    }, _http);
}
