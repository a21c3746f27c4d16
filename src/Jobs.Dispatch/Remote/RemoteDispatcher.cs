using System.Collections.Concurrent;
using System.Text.Json;
using Jobs.Core.Dispatch;
using Jobs.Core.Jobs;
using Jobs.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Jobs.Dispatch.Remote;

/// <summary>
/// <c>webhook</c> and <c>sns</c> dispatch: sends each new job's <see cref="DispatchPayload"/> to
/// the transport, retrying passing failures with exponential backoff and jitter (Polly, dated by
/// the injected clock) up to <see cref="DispatchOptions.MaxAttempts"/>. Once the destination took
/// it, the job gets the dispatch marker; a job it never took (refused, or every attempt failed)
/// is failed with <c>dispatch-failed</c>, so no job waits for a backend that never heard of it.
/// </summary>
public sealed class RemoteDispatcher : BackgroundService, IJobDispatcher, IPendingDispatches
{
    private readonly ConcurrentDictionary<string, Task> _pending = new(StringComparer.Ordinal);
    private readonly IDispatchTransport _transport;
    private readonly IJobStore _store;
    private readonly JobReporter _reporter;
    private readonly DispatchApiUrl _apiUrl;
    private readonly TimeProvider _time;
    private readonly ILogger<RemoteDispatcher> _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _waitBeforeAnswer;
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _disposed;

    public RemoteDispatcher(IDispatchTransport transport, IOptions<DispatchOptions> options, IJobStore store, JobReporter reporter, DispatchApiUrl apiUrl, TimeProvider time, ILogger<RemoteDispatcher> logger)
    {
        _transport = transport;
        _store = store;
        _reporter = reporter;
        _apiUrl = apiUrl;
        _time = time;
        _logger = logger;
        var o = options.Value;
        _waitBeforeAnswer = o.WaitBeforeAnswer;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, o.MaxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.BaseDelay,
                MaxDelay = o.MaxDelay,
                ShouldHandle = new PredicateBuilder().Handle<DispatchException>(e => e.Transient).Handle<TimeoutRejectedException>(),
                OnRetry = a =>
                {
                    _logger.LogWarning(a.Outcome.Exception, "Dispatch attempt {Attempt} failed; next in {Delay}", a.AttemptNumber + 1, a.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(o.Timeout)
            .Build();
    }

    public bool IsPending(string jobId) => _pending.ContainsKey(jobId);

    public async ValueTask DispatchAsync(DispatchRequest request, CancellationToken cancellationToken)
    {
        var dispatching = Start(request);
        if (_waitBeforeAnswer > TimeSpan.Zero)
        {
            // Lambda: the answer freezes the function, so the dispatch goes out before it.
            await dispatching.WaitAsync(_waitBeforeAnswer, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private Task Start(DispatchRequest request)
    {
        // Each job on its own task: one backend backing off must not hold up the others.
        var id = request.Job.Id;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_pending.TryAdd(id, done.Task))
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await DeliverAsync(request, _stopping.Token);
                }
                finally
                {
                    _pending.TryRemove(id, out _);
                    done.TrySetResult();
                }
            }, CancellationToken.None);
            return done.Task;
        }

        return _pending.TryGetValue(id, out var inFlight) ? inFlight : Task.CompletedTask;
    }

    /// <summary>Sends one job (and records the outcome); completes when it is done, for tests and shutdown.</summary>
    internal async Task DeliverAsync(DispatchRequest request, CancellationToken cancellationToken)
    {
        var job = request.Job;
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(DispatchPayload.Create(request, _apiUrl.Get(request.ApiUrl), _time.GetUtcNow()));
            try
            {
                await _pipeline.ExecuteAsync(async ct => await _transport.SendAsync(job.Id, payload, ct), cancellationToken);
            }
            catch (Exception e) when (e is DispatchException or TimeoutRejectedException)
            {
                _logger.LogError(e, "Job {JobId} could not be dispatched to {Destination}", job.Id, _transport.Name);
                if (await _store.GetAsync(job.Id, cancellationToken) is { Status: JobStatus.Submitted })
                {
                    await _reporter.ReportAsync(DispatchUpdates.Failed(job.Id, request.UpdateToken, _time.GetUtcNow(), DispatchUpdates.DispatchFailed,
                        $"{_transport.Name} did not take the job: {e.Message}"), cancellationToken);
                }

                return;
            }

            await _reporter.ReportAsync(DispatchUpdates.Dispatched(job.Id, request.UpdateToken, _time.GetUtcNow(), _transport.Name), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the sweep dispatches the job again after the restart (no marker was written).
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Dispatching job {JobId} failed", job.Id);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The test host may stop a service after the container disposed it; cancelling twice is harmless.
        if (!_disposed)
        {
            await _stopping.CancelAsync();
        }

        await Task.WhenAll(_pending.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _stopping.Cancel();
            _stopping.Dispose();
        }

        base.Dispose();
    }
}
