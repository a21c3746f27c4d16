using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Notifications;
using Jobs.Notifications.Stalled;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Notifications.Tests;

public sealed class StalledJobDetectorTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TestStore _t = new();

    public void Dispose() => _t.Dispose();

    private StalledJobDetector Detector(TimeSpan? failAfter = null) =>
        new(_t.Store, new StalledOptions { After = TimeSpan.FromHours(1), FailAfter = failAfter }, _t.Clock, NullLogger<StalledJobDetector>.Instance);

    [Fact]
    public async Task A_running_job_silent_for_an_hour_gets_one_stalled_event_and_a_searchable_marker()
    {
        await _t.NewJobAsync();
        await _t.UpdateAsync("j1", "u1", JobStatus.Running, 10);
        var detector = Detector();

        _t.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await detector.RunOnceAsync(None));

        _t.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await detector.RunOnceAsync(None));
        Assert.Equal(0, await detector.RunOnceAsync(None)); // marked once

        var job = (await _t.Store.GetAsync("j1", None))!;
        Assert.Equal(_t.Clock.GetUtcNow(), job.StalledSince);
        Assert.Equal(TestStore.T0.AddMilliseconds(1), job.Updated); // the last real update stays visible
        Assert.Equal(JobEventTypes.Stalled, (await _t.Store.ReadAsync(0, null, 10, None))[^1].Type);
        var found = await _t.Store.SearchAsync(JsonNode.Parse("""{"query":{"exists":{"field":"stalled-since"}}}""")!.AsObject(), None);
        Assert.Equal("j1", found["hits"]!["hits"]![0]!["_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_update_clears_the_marker_and_a_job_that_is_not_running_is_never_stalled()
    {
        await _t.NewJobAsync("j1");
        await _t.NewJobAsync("waiting");
        await _t.UpdateAsync("j1", "u1", JobStatus.Running);
        _t.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await Detector().RunOnceAsync(None));

        await _t.UpdateAsync("j1", "u2", progress: 50);

        Assert.Null((await _t.Store.GetAsync("j1", None))!.StalledSince);
        Assert.Null((await _t.Store.GetAsync("waiting", None))!.StalledSince);
    }

    [Fact]
    public async Task With_FailAfter_a_stalled_job_is_failed_with_error_type_stalled()
    {
        await _t.NewJobAsync();
        await _t.UpdateAsync("j1", "u1", JobStatus.Running);
        var detector = Detector(failAfter: TimeSpan.FromHours(3));

        _t.Clock.Advance(TimeSpan.FromHours(1.5));
        await detector.RunOnceAsync(None);
        Assert.Equal(JobStatus.Running, (await _t.Store.GetAsync("j1", None))!.Status);

        _t.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await detector.RunOnceAsync(None));

        var job = (await _t.Store.GetAsync("j1", None))!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("stalled", job.Error!.Type);
        Assert.Equal([JobEventTypes.Created, JobEventTypes.Status, JobEventTypes.Stalled, JobEventTypes.Status],
            (await _t.Store.ReadAsync(0, null, 10, None)).Select(e => e.Type));
    }
}
