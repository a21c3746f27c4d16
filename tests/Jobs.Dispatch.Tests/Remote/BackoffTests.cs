using System.Text.Json;
using Jobs.Core.Dispatch;
using Jobs.Core.Jobs;
using Jobs.Core.Storage;
using Jobs.Dispatch.Remote;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Jobs.Dispatch.Tests.Remote;

/// <summary>
/// Retries of a webhook dispatch, on a fake clock: no second attempt before the backoff has
/// passed, the delays grow, a receiver that recovers gets the job (marked dispatched), one that
/// never does has the job failed with <c>dispatch-failed</c> after <c>MaxAttempts</c>.
/// </summary>
public sealed class BackoffTests : IDisposable
{
    private readonly WireMockServer _receiver = WireMockServer.Start();
    private readonly DispatchApi _api = new(new Dictionary<string, string?>());
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public void Dispose()
    {
        _api.Dispose();
        _receiver.Stop();
    }

    private RemoteDispatcher Dispatcher(int maxAttempts) => new(
        new WebhookTransport(new HttpClient(), new Uri(_receiver.Url + "/hook"), "s", _clock),
        Options.Create(new DispatchOptions { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(10), Timeout = TimeSpan.FromHours(1) }),
        _api.Services.GetRequiredService<IJobStore>(),
        new JobReporter(_api.Services.GetRequiredService<IJobStore>(), TimeProvider.System, NullLogger<JobReporter>.Instance),
        new DispatchApiUrl("http://localhost:5001", () => null),
        _clock,
        NullLogger<RemoteDispatcher>.Instance);

    [Fact]
    public async Task A_failing_receiver_is_retried_only_after_the_backoff_and_gets_the_job_when_it_recovers()
    {
        _receiver.Given(Request.Create().WithPath("/hook")).InScenario("s").WillSetStateTo("1").RespondWith(Response.Create().WithStatusCode(503));
        _receiver.Given(Request.Create().WithPath("/hook")).InScenario("s").WhenStateIs("1").WillSetStateTo("2").RespondWith(Response.Create().WithStatusCode(500));
        _receiver.Given(Request.Create().WithPath("/hook")).InScenario("s").WhenStateIs("2").RespondWith(Response.Create().WithStatusCode(200));
        var request = await NewJobAsync();
        using var dispatcher = Dispatcher(maxAttempts: 8);

        var delivery = dispatcher.DeliverAsync(request, CancellationToken.None);
        await AttemptsAsync(1);

        // The first retry waits about BaseDelay (10 s, with jitter): a second of fake time is not enough.
        _clock.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        Assert.Single(_receiver.LogEntries);

        await AdvanceUntilAsync(() => _receiver.LogEntries.Count() >= 3);
        await delivery;
        Assert.Equal(3, _receiver.LogEntries.Count());
        var job = (await _api.Services.GetRequiredService<IJobStore>().GetAsync(request.Job.Id, CancellationToken.None))!;
        Assert.Equal(DispatchUpdates.DispatchedStage, job.Stage);
        Assert.Equal(JobStatus.Submitted, job.Status);
    }

    [Fact]
    public async Task A_receiver_that_never_recovers_has_the_job_failed_after_MaxAttempts()
    {
        _receiver.Given(Request.Create().WithPath("/hook")).RespondWith(Response.Create().WithStatusCode(503));
        var request = await NewJobAsync();
        using var dispatcher = Dispatcher(maxAttempts: 4);

        var delivery = dispatcher.DeliverAsync(request, CancellationToken.None);
        await AdvanceUntilAsync(() => delivery.IsCompleted);

        Assert.Equal(4, _receiver.LogEntries.Count());
        var job = (await _api.Services.GetRequiredService<IJobStore>().GetAsync(request.Job.Id, CancellationToken.None))!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(DispatchUpdates.DispatchFailed, job.Error!.Type);
        Assert.Contains("answered 503", job.Error.Message);
    }

    private async Task<DispatchRequest> NewJobAsync()
    {
        await _api.DeployAsync("""
            {"processDescription": {"id": "p", "version": "1", "inputs": {}, "outputs": {}},
             "executionUnit": {"type": "application/cwl", "href": "https://example.org/p.cwl"}}
            """);
        var process = (await _api.Services.GetRequiredService<IProcessRegistry>().GetAsync("p", "1", CancellationToken.None))!;
        var execute = Core.Execution.ExecuteRequestReader.Read(JsonDocument.Parse("""{"inputs": {}}""").RootElement).Value!;
        var created = Core.Execution.JobFactory.Create(process.View(), execute, "anonymous", DateTimeOffset.UtcNow);
        Assert.True(await _api.Services.GetRequiredService<IJobStore>().CreateAsync(created.Job, CancellationToken.None));
        return new DispatchRequest(created.Job, created.UpdateToken, process);
    }

    private async Task AttemptsAsync(int count)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (_receiver.LogEntries.Count() < count)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"attempt {count} never came");
            await Task.Delay(20);
        }
    }

    /// <summary>Moves the fake clock a second at a time (the real HTTP calls in between take real time) until the condition holds.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the dispatcher never got there");
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }
    }
}
