using Jobs.Core.Jobs;
using Jobs.Functions.Tests.Consumer;
using Jobs.Functions.Tests.Fakes;
using Jobs.UpdatesFunction;
using Jobs.UpdatesFunction.Polling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Jobs.Functions.Tests.TestMessages;

namespace Jobs.Functions.Tests.Polling;

/// <summary>The poller's acknowledgement rules, on an in-memory queue and store.</summary>
public sealed class SqsPollerTests : IDisposable
{
    private const string JobA = "0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ConsumerHarness _h = new();
    private readonly InMemoryQueue _queue = new();

    public SqsPollerTests() => _h.Store.Add(Job(JobA));

    public void Dispose() => _h.Dispose();

    private SqsPoller Poller(UpdatesOptions? settings = null)
    {
        settings ??= new UpdatesOptions { MaxConcurrentBatches = 1, VisibilityTimeout = TimeSpan.FromSeconds(60) };
        return new SqsPoller(_queue, _h.Processor, Options.Create(settings), TimeProvider.System, NullLogger<SqsPoller>.Instance);
    }

    [Fact]
    public async Task Stored_messages_are_deleted_and_failed_ones_are_not()
    {
        _h.Store.Throttled.Add("throttled-job");
        _h.Store.Add(Job("throttled-job"));
        _queue.Send(Queued(Json(Update(JobA, "u1", 10, JobStatus.Running)), "stored"));
        _queue.Send(Queued("{broken", "poison"));
        _queue.Send(Queued(Json(Update("throttled-job", "u2", 10, JobStatus.Running)), "throttled", receiveCount: 3));

        using var poller = Poller();
        await poller.StartAsync(CancellationToken.None);
        await _queue.FirstReceive.Task.WaitAsync(Patience);
        await poller.StopAsync(CancellationToken.None);

        Assert.Equal(["stored"], _queue.Deleted);

        // A passing failure comes back after a back-off that grows with its receive count ...
        Assert.Equal(TimeSpan.FromSeconds(20), _queue.LastVisibility("throttled"));

        // ... one that can never apply is left to expire into the dead-letter queue.
        Assert.Null(_queue.LastVisibility("poison"));
    }

    [Fact]
    public async Task Nothing_is_deleted_while_the_store_is_down()
    {
        _h.Store.Unavailable = true;
        _queue.Send(Queued(Json(Update(JobA, "u1", 10, JobStatus.Running)), "m1"));
        _queue.Send(Queued(Json(Update(JobA, "u2", 20, progress: 30)), "m2", receiveCount: 2));

        using var poller = Poller();
        await poller.StartAsync(CancellationToken.None);
        await _queue.FirstReceive.Task.WaitAsync(Patience);
        await poller.StopAsync(CancellationToken.None);

        Assert.Empty(_queue.Deleted);
        Assert.Equal(TimeSpan.FromSeconds(5), _queue.LastVisibility("m1"));
        Assert.Equal(TimeSpan.FromSeconds(10), _queue.LastVisibility("m2"));
    }

    [Fact]
    public async Task A_slow_batch_has_its_visibility_extended_until_it_is_stored()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Store.BeforeApply = ct => release.Task.WaitAsync(ct);
        _queue.Send(Queued(Json(Update(JobA, "u1", 10, JobStatus.Running)), "m1"));
        var settings = new UpdatesOptions { MaxConcurrentBatches = 1, VisibilityTimeout = TimeSpan.FromSeconds(2) };

        using var poller = Poller(settings);
        await poller.StartAsync(CancellationToken.None);
        await _queue.FirstExtension.Task.WaitAsync(Patience);

        Assert.Empty(_queue.Deleted);
        Assert.Equal(TimeSpan.FromSeconds(2), _queue.LastVisibility("m1"));

        release.SetResult();
        await poller.StopAsync(CancellationToken.None);
        Assert.Equal(["m1"], _queue.Deleted);
    }

    [Fact]
    public async Task Shutdown_waits_for_the_batch_in_flight_and_then_acknowledges_it()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Store.BeforeApply = async ct =>
        {
            entered.TrySetResult();
            await release.Task.WaitAsync(ct);
        };
        _queue.Send(Queued(Json(Update(JobA, "u1", 10, JobStatus.Running)), "m1"));

        using var poller = Poller();
        await poller.StartAsync(CancellationToken.None);
        await entered.Task.WaitAsync(Patience);
        var stopping = poller.StopAsync(CancellationToken.None);

        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping.WaitAsync(Patience);
        Assert.Equal(["m1"], _queue.Deleted);
        Assert.Equal(JobStatus.Running, _h.Store.Get(JobA)!.Status);
    }

    [Fact]
    public async Task Shutdown_past_its_timeout_releases_the_batch_in_flight_at_once()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Store.BeforeApply = async ct =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        };
        _queue.Send(Queued(Json(Update(JobA, "u1", 10, JobStatus.Running)), "m1"));

        using var poller = Poller();
        await poller.StartAsync(CancellationToken.None);
        await entered.Task.WaitAsync(Patience);
        using var timeout = new CancellationTokenSource();
        var stopping = poller.StopAsync(timeout.Token);
        await timeout.CancelAsync();
        await stopping.WaitAsync(Patience);

        Assert.Empty(_queue.Deleted);
        Assert.Equal(TimeSpan.Zero, _queue.LastVisibility("m1"));
        Assert.Equal(JobStatus.Submitted, _h.Store.Get(JobA)!.Status);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(4, 40)]
    [InlineData(20, 300)]
    public void The_retry_delay_doubles_with_each_receive_up_to_the_maximum(int receiveCount, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), SqsPoller.RetryDelay(receiveCount, TimeSpan.FromMinutes(5)));
    }
}
