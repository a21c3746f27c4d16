using System.Net;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests.Events;

public class EventStreamTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<(string JobId, string Token)> NewJobAsync(params string[] labels)
    {
        await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("sse", "1")));
        return await _client.ExecuteAsync("sse:1", labels);
    }

    private async Task<(HttpResponseMessage Response, SseReader Reader)> OpenAsync(string path, string? lastEventId = null, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        return (response, new SseReader(await response.Content.ReadAsStreamAsync(ct)));
    }

    [Fact]
    public async Task A_jobs_stream_carries_its_events_from_creation_with_the_job_after_each_change()
    {
        var (jobId, token) = await NewJobAsync("sse-a");
        var t0 = DateTimeOffset.UtcNow;
        await _client.UpdateAsync(jobId, token, "\"status\":\"running\",\"progress\":10", time: t0);
        await _client.UpdateAsync(jobId, token, "\"progress\":60,\"message\":\"half\"", time: t0.AddSeconds(1));
        using var cts = new CancellationTokenSource(Patience);

        var (response, reader) = await OpenAsync($"/jobs/{jobId}/events", ct: cts.Token);
        using (response)
        using (reader)
        {
            var first = await reader.NextAsync(cts.Token);
            Assert.Equal(3000, first!.Retry);
            var events = await reader.EventsAsync(3, cts.Token);
            await _client.UpdateAsync(jobId, token, "\"status\":\"succeeded\",\"outputs\":{\"output\":\"s3://b/o.nc\"}", time: t0.AddSeconds(2));
            events.AddRange(await reader.EventsAsync(1, cts.Token));

            Assert.Equal(["created", "status", "progress", "status"], events.Select(e => e.Event));
            Assert.Equal(["accepted", "running", "running", "successful"], events.Select(e => e.Json["status"]!.GetValue<string>()));
            Assert.All(events, e => Assert.Equal(e.Event, e.Json["type"]!.GetValue<string>()));
            Assert.All(events, e => Assert.Equal(jobId, e.Json["jobID"]!.GetValue<string>()));
            Assert.Equal("half", events[2].Json["message"]!.GetValue<string>());
            Assert.Equal(60, events[2].Json["progress"]!.GetValue<int>());
            var job = events[3].Json["job"]!;
            OgcSchemas.AssertValid("statusInfo", job);
            Assert.Equal("s3://b/o.nc", job["outputs"]!["output"]!.GetValue<string>());
            Assert.True(events.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).Order().SequenceEqual(
                events.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture))));
        }
    }

    [Fact]
    public async Task A_client_that_reconnects_with_Last_Event_ID_gets_exactly_what_it_missed()
    {
        var (jobId, token) = await NewJobAsync();
        var t0 = DateTimeOffset.UtcNow;
        using var cts = new CancellationTokenSource(Patience);
        string lastSeen;
        var (response, reader) = await OpenAsync($"/jobs/{jobId}/events", ct: cts.Token);
        using (response)
        using (reader)
        {
            await _client.UpdateAsync(jobId, token, "\"status\":\"running\",\"progress\":1", time: t0);
            var seen = await reader.EventsAsync(2, cts.Token);
            lastSeen = seen[^1].Id!;
        }

        // Disconnected: these happen while nobody listens.
        for (var i = 2; i <= 4; i++)
        {
            await _client.UpdateAsync(jobId, token, $"\"progress\":{i * 10}", time: t0.AddSeconds(i));
        }

        var (again, resumed) = await OpenAsync($"/jobs/{jobId}/events", lastSeen, cts.Token);
        using (again)
        using (resumed)
        {
            var missed = await resumed.EventsAsync(3, cts.Token);
            await _client.UpdateAsync(jobId, token, "\"progress\":90", time: t0.AddSeconds(9));
            var live = await resumed.EventsAsync(1, cts.Token);

            Assert.Equal([20, 30, 40, 90], missed.Concat(live).Select(e => e.Json["progress"]!.GetValue<int>()));
            Assert.All(missed, e => Assert.True(long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(lastSeen, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public async Task The_all_jobs_stream_starts_now_and_filters_by_label_status_and_process()
    {
        var (before, beforeToken) = await NewJobAsync("sse-filter");
        using var cts = new CancellationTokenSource(Patience);
        var (response, reader) = await OpenAsync("/jobs/events?labels=sse-filter&status=running", ct: cts.Token);
        using (response)
        using (reader)
        {
            var (other, otherToken) = await NewJobAsync("something-else");
            await _client.UpdateAsync(other, otherToken, "\"status\":\"running\"");
            await _client.UpdateAsync(before, beforeToken, "\"status\":\"running\"");

            var events = await reader.EventsAsync(1, cts.Token);

            Assert.Equal(before, events[0].Json["jobID"]!.GetValue<string>());
            Assert.Equal("status", events[0].Event);
        }
    }

    [Theory]
    [InlineData("/jobs/events?status=bogus")]
    [InlineData("/jobs/events?after=not-a-cursor")]
    public async Task Bad_parameters_are_problem_details(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_unknown_jobs_stream_is_404()
    {
        var response = await _client.GetAsync($"/jobs/{Guid.CreateVersion7()}/events");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
