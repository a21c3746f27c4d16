using System.Globalization;
using System.Text.Json.Nodes;
using Jobs.Core.Dispatch;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Dispatch;

/// <summary>
/// Finds jobs that were stored but never dispatched (the API stopped between the create's
/// answer and the dispatch, or a dispatch was cut short) and dispatches them: at start and every
/// <see cref="DispatchOptions.SweepInterval"/>, every job still <c>submitted</c>, without the
/// <see cref="DispatchUpdates.DispatchedStage"/> marker, older than
/// <see cref="DispatchOptions.SweepAfter"/>, not held by this process's dispatcher, whose token
/// hash is the derived token's (jobs created before dispatch was turned on are left alone).
/// </summary>
public sealed class DispatchSweeper(
    IJobStore store, IProcessRegistry registry, IJobDispatcher dispatcher, IPendingDispatches pending, DerivedUpdateTokens tokens,
    JobReporter reporter, IOptions<DispatchOptions> options, TimeProvider time, ILogger<DispatchSweeper> logger) : BackgroundService
{
    private const int PageSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var count = await SweepAsync(stoppingToken);
                if (count > 0)
                {
                    logger.LogInformation("Dispatch sweep: {Count} job(s) that had not been dispatched were dispatched", count);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Dispatch sweep failed; trying again in {Interval}", options.Value.SweepInterval);
            }

            try
            {
                await Task.Delay(options.Value.SweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One sweep; returns how many jobs it dispatched.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.SweepAfter;
        var request = new JsonObject
        {
            ["size"] = PageSize,
            ["_source"] = new JsonArray("id"),
            ["query"] = new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["filter"] = new JsonArray(
                        new JsonObject { ["term"] = new JsonObject { ["status"] = JobStatus.Submitted.ToIndexValue() } },
                        new JsonObject { ["range"] = new JsonObject { ["created"] = new JsonObject { ["lte"] = before.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) } } }),
                    ["must_not"] = new JsonArray(new JsonObject { ["term"] = new JsonObject { ["stage"] = DispatchUpdates.DispatchedStage } }),
                },
            },
            ["sort"] = new JsonArray(new JsonObject { ["created"] = "asc" }),
        };
        var hits = (await store.SearchAsync(request, cancellationToken))["hits"]?["hits"]?.AsArray() ?? [];
        var dispatched = 0;
        foreach (var hit in hits)
        {
            if (hit?["_id"]?.GetValue<string>() is not { } id || pending.IsPending(id))
            {
                continue;
            }

            if (await store.GetAsync(id, cancellationToken) is not { Status: JobStatus.Submitted } job || !tokens.Issued(job))
            {
                continue;
            }

            var token = tokens.For(job.Id);
            var process = await registry.GetAsync(job.ProcessId, job.ProcessVersion, cancellationToken);
            if (process is null)
            {
                await reporter.ReportAsync(DispatchUpdates.Failed(job.Id, token, time.GetUtcNow(), DispatchUpdates.DispatchFailed,
                    $"process {job.ProcessId}:{job.ProcessVersion} was undeployed before the job could be dispatched"), cancellationToken);
                continue;
            }

            await dispatcher.DispatchAsync(new DispatchRequest(job, token, process), cancellationToken);
            dispatched++;
        }

        return dispatched;
    }
}
