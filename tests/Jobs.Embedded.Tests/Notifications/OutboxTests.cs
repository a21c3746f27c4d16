using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Notifications;
using Jobs.Core.Updates;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests.Notifications;

public sealed class OutboxTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JobUpdate Message(string jobId, string id, int seconds, JobStatus? status = null, int? progress = null,
        string? outputsUrl = null, string? addLabel = null) =>
        new(new UpdateMessage
        {
            Id = id,
            JobId = jobId,
            Token = Token,
            Time = T0.AddSeconds(seconds),
            Status = status,
            Progress = progress,
            Outputs = outputsUrl is null ? null : new Dictionary<string, JsonElement> { ["out"] = JsonSerializer.SerializeToElement(outputsUrl) },
            Labels = addLabel is null ? null : new LabelChanges([addLabel], null),
        }, EventSources.Api);

    [Fact]
    public async Task Every_change_gets_one_event_in_order_with_the_job_as_the_change_left_it()
    {
        using var store = _dir.OpenStore();
        await store.CreateAsync(Job("j1"), None);
        await store.ApplyAsync([Message("j1", "u1", 1, JobStatus.Running, 10)], None);
        await store.ApplyAsync([Message("j1", "u2", 2, progress: 50)], None);
        await store.ApplyAsync([Message("j1", "u3", 3, outputsUrl: "s3://b/o")], None);
        await store.ApplyAsync([Message("j1", "u4", 4, addLabel: "l")], None);
        await store.ApplyAsync([Message("j1", "u4", 4, addLabel: "l")], None); // duplicate: no event
        await store.ApplyAsync([Message("j1", "bad", 5, JobStatus.Failed) with { Message = new UpdateMessage { Id = "bad", JobId = "j1", Token = "wrong", Time = T0.AddSeconds(5), Status = JobStatus.Failed } }], None);
        await store.ApplyAsync([Message("j1", "u5", 6, JobStatus.Succeeded)], None);

        var events = await store.ReadAsync(0, null, 100, None);

        Assert.Equal([JobEventTypes.Created, JobEventTypes.Status, JobEventTypes.Progress, JobEventTypes.Outputs, JobEventTypes.Labels, JobEventTypes.Status],
            events.Select(e => e.Type));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
        Assert.Equal([JobStatus.Submitted, JobStatus.Running, JobStatus.Running, JobStatus.Running, JobStatus.Running, JobStatus.Succeeded],
            events.Select(e => e.Job.Status));
        Assert.Equal(50, events[2].Job.Progress);
        Assert.Equal(events[^1].Sequence, store.Head);
    }

    [Fact]
    public async Task Reads_resume_after_a_cursor_and_filter_by_job()
    {
        using var store = _dir.OpenStore();
        await store.CreateAsync(Job("a"), None);
        await store.CreateAsync(Job("b"), None);
        await store.ApplyAsync([Running("a", "u1"), Running("b", "u2")], None);

        var all = await store.ReadAsync(0, null, 100, None);
        var afterFirst = await store.ReadAsync(all[0].Sequence, null, 2, None);
        var onlyB = await store.ReadAsync(0, "b", 100, None);

        Assert.Equal(4, all.Count);
        Assert.Equal(all.Skip(1).Take(2).Select(e => e.Sequence), afterFirst.Select(e => e.Sequence));
        Assert.Equal(["b", "b"], onlyB.Select(e => e.JobId));
    }

    [Fact]
    public async Task A_dismissal_is_a_dismissed_event()
    {
        using var store = _dir.OpenStore();
        await store.CreateAsync(Job("j"), None);
        var dismiss = new JobUpdate(new UpdateMessage { Id = "dismiss", JobId = "j", Time = T0.AddSeconds(1), Status = JobStatus.Dismissed }, EventSources.Dismiss) { Trusted = true };
        await store.ApplyAsync([dismiss], None);

        Assert.Equal(JobEventTypes.Dismissed, (await store.ReadAsync(0, null, 10, None))[^1].Type);
    }

    [Fact]
    public async Task A_late_earlier_terminal_event_is_a_corrected_event()
    {
        using var store = _dir.OpenStore();
        await store.CreateAsync(Job("j"), None);
        await store.ApplyAsync([Message("j", "ok", 20, JobStatus.Succeeded)], None);
        await store.ApplyAsync([Message("j", "fail", 10, JobStatus.Failed)], None);

        var last = (await store.ReadAsync(0, null, 10, None))[^1];
        Assert.Equal(JobEventTypes.Corrected, last.Type);
        Assert.Equal(JobStatus.Failed, last.Job.Status);
    }

    [Fact]
    public async Task The_events_of_acknowledged_changes_survive_a_crash_before_and_after_a_checkpoint()
    {
        var store = _dir.OpenStore();
        await store.CreateAsync(Job("j"), None);
        await store.ApplyAsync([Running("j", "u1", 10)], None);
        await store.CheckpointAsync();
        await store.ApplyAsync([Running("j", "u2", 20)], None);
        var before = (await store.ReadAsync(0, null, 100, None)).Select(e => (e.Sequence, e.Type, e.Job.Progress)).ToList();
        store.Abandon(); // the last change exists only in the log now

        using var reopened = _dir.OpenStore();

        Assert.Equal(before, (await reopened.ReadAsync(0, null, 100, None)).Select(e => (e.Sequence, e.Type, e.Job.Progress)));
        await reopened.ApplyAsync([Running("j", "u3", 30)], None);
        var next = await reopened.ReadAsync(before[^1].Sequence, null, 100, None);
        Assert.Equal([30], next.Select(e => e.Job.Progress));
    }

    [Fact]
    public async Task A_waiter_wakes_when_a_change_is_durable()
    {
        using var store = _dir.OpenStore();
        var head = store.Head;
        var waiting = store.WaitAsync(head, None);
        Assert.False(waiting.IsCompleted);

        await store.CreateAsync(Job("j"), None);

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(store.Head > head);
    }
}
