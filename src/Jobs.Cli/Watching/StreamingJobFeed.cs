using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Cli.Client;
using Jobs.Cli.Output;

namespace Jobs.Cli.Watching;

/// <summary>
/// <see cref="IJobFeed"/> over the API's job event streams (Server-Sent Events, read with the
/// runtime's <see cref="SseParser"/>): <c>GET /jobs/{id}/events</c> for one job,
/// <c>GET /jobs/events?labels=&amp;process=</c> for a filter. Each event carries the job's
/// statusInfo after the change. The current state comes first from <c>GET /jobs/{id}</c> or
/// <c>GET /jobs?…</c> (a filter follows the jobs it selected then); the stream then adds every
/// later change, and a dropped stream is reopened after the last event's id (<c>Last-Event-ID</c>).
/// An API without streams (404, 405, 501) is followed by <paramref name="fallback"/> (polling).
/// </summary>
public sealed class StreamingJobFeed(JobsClient client, Func<TimeSpan, CancellationToken, Task> delay, IJobFeed fallback) : IJobFeed
{
    /// <summary>Reopening a stream that failed this many times in a row, without an event, gives up.</summary>
    public const int MaxFailures = 10;

    public async IAsyncEnumerable<JsonNode> FollowAsync(WatchTarget target, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = target.JobId is { } id ? $"jobs/{Uri.EscapeDataString(id)}/events" : "jobs/events" + StreamQuery(target.ListQuery ?? "");
        string? lastEventId = null;
        var retry = TimeSpan.FromSeconds(3);
        var failures = 0;
        var jobs = new Dictionary<string, JobFields>(StringComparer.Ordinal);
        var first = true;
        while (true)
        {
            JobsClient.EventStream? stream;
            try
            {
                stream = await client.OpenEventStreamAsync(path, lastEventId, cancellationToken);
            }
            catch (CliException e) when (e.ExitCode == ExitCodes.Transient && !first && ++failures < MaxFailures)
            {
                await delay(retry, cancellationToken);
                continue;
            }

            if (stream is null)
            {
                // No stream on this API: poll instead, showing only what the stream has not shown.
                await foreach (var job in fallback.FollowAsync(target, cancellationToken))
                {
                    if (Changed(jobs, job))
                    {
                        yield return job;
                    }
                }

                yield break;
            }

            using (stream)
            {
                // The current state, read once the stream is open so that no change falls between the two.
                if (first)
                {
                    first = false;
                    foreach (var job in await CurrentAsync(target, cancellationToken))
                    {
                        Changed(jobs, job);
                        yield return job;
                    }

                    if (Finished(jobs, target))
                    {
                        yield break;
                    }
                }

                var events = SseParser.Create(stream.Body).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (true)
                {
                    try
                    {
                        if (!await events.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }

                    var item = events.Current;
                    lastEventId = item.EventId ?? lastEventId;
                    retry = item.ReconnectionInterval ?? retry;
                    if (JobOf(item.Data) is not { } job || (target.JobId is null && !jobs.ContainsKey(JobFields.From(job).Id)))
                    {
                        continue;
                    }

                    failures = 0;
                    if (Changed(jobs, job))
                    {
                        yield return job;
                    }

                    if (Finished(jobs, target))
                    {
                        yield break;
                    }
                }

                await events.DisposeAsync();
            }

            if (++failures >= MaxFailures)
            {
                throw new CliException(ExitCodes.Transient, $"the job event stream {path} keeps closing; try again, or set JOBS_WATCH=poll");
            }

            await delay(retry, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<JsonNode>> CurrentAsync(WatchTarget target, CancellationToken cancellationToken)
    {
        if (target.JobId is { } id)
        {
            return [await client.GetAsync($"jobs/{Uri.EscapeDataString(id)}", cancellationToken)];
        }

        var list = await client.GetAsync("jobs?" + target.ListQuery, cancellationToken);
        return list["jobs"] is JsonArray all ? [.. all.OfType<JsonNode>()] : [];
    }

    /// <summary>Every job followed has finished; a filter that selected none has nothing to wait for.</summary>
    private static bool Finished(Dictionary<string, JobFields> jobs, WatchTarget target) =>
        jobs.Values.All(j => j.IsFinished) && (jobs.Count > 0 || target.JobId is null);

    /// <summary>
    /// Records the job and says whether it is news: its status, stage, progress or message differ
    /// from what was shown, and it is not older than that (a job's stream replays its past first).
    /// </summary>
    private static bool Changed(Dictionary<string, JobFields> jobs, JsonNode job)
    {
        var fields = JobFields.From(job);
        if (jobs.TryGetValue(fields.Id, out var before)
            && (Same(before, fields) || (before.Updated is { } shown && fields.Updated is { } now && now < shown)))
        {
            return false;
        }

        jobs[fields.Id] = fields;
        return true;
    }

    private static bool Same(JobFields a, JobFields b) =>
        a.Status == b.Status && a.Stage == b.Stage && a.Progress == b.Progress && a.Message == b.Message;

    private static JsonNode? JobOf(string data)
    {
        try
        {
            return JsonNode.Parse(data)?["job"] is JsonObject job ? job : null;
        }
        catch (JsonException)
        {
            return null; // not an event of the contract
        }
    }

    /// <summary>The stream's own filters from a job-list query: labels (all of them) and one process; status is checked here, as it changes.</summary>
    public static string StreamQuery(string listQuery)
    {
        var pairs = listQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: p[0], Value: p.Length > 1 ? Uri.UnescapeDataString(p[1]) : ""))
            .ToList();
        var processes = pairs.Where(p => p.Name == "processID").ToList();
        var kept = pairs.Where(p => p.Name == "labels").Concat(processes.Count == 1 ? [("process", processes[0].Value)] : []);
        var query = string.Join("&", kept.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        return query.Length == 0 ? "" : "?" + query;
    }
}
