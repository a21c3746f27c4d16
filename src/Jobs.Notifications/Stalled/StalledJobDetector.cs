using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Storage;
using Jobs.Core.Updates;
using Microsoft.Extensions.Logging;

namespace Jobs.Notifications.Stalled;

/// <summary>
/// Finds running jobs that stopped reporting: no update for <see cref="StalledOptions.After"/>
/// gets a <c>stalled</c> event (trusted, from the detector), which sets the job's searchable
/// <c>stalled-since</c> and goes to its subscribers like any event; with
/// <see cref="StalledOptions.FailAfter"/>, a stalled job whose last update is older than that is
/// failed with <c>error.type: stalled</c>. Both are ordinary updates with ids derived from the
/// job's last update time, so two detectors (or a retry) make one event, not two.
/// </summary>
public sealed partial class StalledJobDetector(IJobStore store, StalledOptions options, TimeProvider time, ILogger<StalledJobDetector> logger)
{
    private const int PageSize = 500;

    /// <summary>One pass; returns how many jobs it marked or failed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (options.After <= TimeSpan.Zero)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var updates = new List<JobUpdate>();
        foreach (var (id, updated) in await FindAsync(now - options.After, stalled: false, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(new JobUpdate(new UpdateMessage
            {
                Id = $"stalled-{updated.UtcTicks}",
                JobId = id,
                Time = now,
                Message = $"no update since {UtcTimestampJsonConverter.ToText(updated)}",
            }, EventSources.Stalled)
            { Trusted = true });
        }

        if (options.FailAfter is { } failAfter && failAfter > TimeSpan.Zero)
        {
            foreach (var (id, updated) in await FindAsync(now - failAfter, stalled: true, cancellationToken).ConfigureAwait(false))
            {
                updates.Add(new JobUpdate(new UpdateMessage
                {
                    Id = $"stalled-failed-{updated.UtcTicks}",
                    JobId = id,
                    Time = now,
                    Status = JobStatus.Failed,
                    Message = "stalled",
                    Error = new JobError("stalled", $"no update since {UtcTimestampJsonConverter.ToText(updated)} (Jobs:Stalled:FailAfter is {failAfter})"),
                }, EventSources.Stalled)
                { Trusted = true });
            }
        }

        if (updates.Count == 0)
        {
            return 0;
        }

        var results = await store.ApplyAsync(updates, cancellationToken).ConfigureAwait(false);
        var changed = results.Count(r => r.Outcome == UpdateOutcomeKind.Applied);
        LogMarked(changed);
        return changed;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.CheckEvery, time);
        do
        {
            try
            {
                while (await RunOnceAsync(cancellationToken).ConfigureAwait(false) >= PageSize)
                {
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task<List<(string Id, DateTimeOffset Updated)>> FindAsync(DateTimeOffset before, bool stalled, CancellationToken cancellationToken)
    {
        var exists = new JsonObject { ["exists"] = new JsonObject { ["field"] = "stalled-since" } };
        var query = new JsonObject
        {
            ["filter"] = new JsonArray(
                new JsonObject { ["term"] = new JsonObject { ["status"] = "running" } },
                new JsonObject { ["range"] = new JsonObject { ["updated"] = new JsonObject { ["lt"] = UtcTimestampJsonConverter.ToText(before) } } }),
        };
        if (stalled)
        {
            ((JsonArray)query["filter"]!).Add(exists);
        }
        else
        {
            query["must_not"] = new JsonArray(exists);
        }

        var request = new JsonObject
        {
            ["size"] = PageSize,
            ["_source"] = new JsonArray("id", "updated"),
            ["query"] = new JsonObject { ["bool"] = query },
            ["sort"] = new JsonArray(new JsonObject { ["updated"] = new JsonObject { ["order"] = "asc" } }),
        };
        var response = await store.SearchAsync(request, cancellationToken).ConfigureAwait(false);
        var found = new List<(string, DateTimeOffset)>();
        foreach (var hit in response["hits"]?["hits"]?.AsArray() ?? [])
        {
            if (hit?["_source"] is { } source && UtcTimestampJsonConverter.TryParse(source["updated"]?.GetValue<string>(), out var updated))
            {
                found.Add((source["id"]!.GetValue<string>(), updated));
            }
        }

        return found;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stalled-job detection marked or failed {Count} jobs")]
    private partial void LogMarked(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stalled-job detection failed; next check at the next interval")]
    private partial void LogFailed(Exception e);
}
