using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Jobs.Cli.Client;
using Jobs.Cli.Output;

namespace Jobs.Cli.Watching;

/// <summary>
/// <see cref="IJobFeed"/> by polling <c>GET /jobs/{id}</c> (or <c>GET /jobs?…</c> for a filter):
/// the first poll at once, then 1 s apart, growing by half up to <see cref="MaxInterval"/> while
/// nothing changes and back to 1 s on a change. A poll that fails for a passing reason (the API
/// restarting) is retried the same way up to <see cref="MaxFailures"/> times in a row.
/// </summary>
public sealed class PollingJobFeed(JobsClient client, Func<TimeSpan, CancellationToken, Task> delay) : IJobFeed
{
    public static readonly TimeSpan FirstInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(10);
    public const int MaxFailures = 10;

    public async IAsyncEnumerable<JsonNode> FollowAsync(WatchTarget target, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var interval = FirstInterval;
        var failures = 0;
        var first = true;
        while (true)
        {
            if (!first)
            {
                await delay(interval, cancellationToken);
            }

            first = false;
            IReadOnlyList<JsonNode> jobs;
            try
            {
                jobs = await PollAsync(target, cancellationToken);
                failures = 0;
            }
            catch (CliException e) when (e.ExitCode == ExitCodes.Transient && ++failures < MaxFailures)
            {
                interval = Next(interval);
                continue;
            }

            var changed = false;
            foreach (var job in jobs)
            {
                var fields = JobFields.From(job);
                var key = $"{fields.Status}|{fields.Stage}|{fields.Progress}|{fields.Message}";
                if (seen.TryGetValue(fields.Id, out var before) && before == key)
                {
                    continue;
                }

                seen[fields.Id] = key;
                changed = true;
                if (fields.IsFinished)
                {
                    finished.Add(fields.Id);
                }

                yield return job;
            }

            // A filter's jobs that left the filter (e.g. status=running) are looked up one by one.
            if (target.JobId is null)
            {
                foreach (var id in seen.Keys.Where(id => !finished.Contains(id) && jobs.All(j => JobFields.From(j).Id != id)).ToList())
                {
                    var job = await client.GetAsync($"jobs/{Uri.EscapeDataString(id)}", cancellationToken);
                    var fields = JobFields.From(job);
                    seen[id] = $"{fields.Status}|{fields.Stage}|{fields.Progress}|{fields.Message}";
                    changed = true;
                    if (fields.IsFinished)
                    {
                        finished.Add(id);
                    }

                    yield return job;
                }
            }

            // Nothing to wait for: every job finished, or a filter that selects no job.
            if (finished.Count == seen.Count && (seen.Count > 0 || target.JobId is null))
            {
                yield break;
            }

            interval = changed ? FirstInterval : Next(interval);
        }
    }

    private async Task<IReadOnlyList<JsonNode>> PollAsync(WatchTarget target, CancellationToken cancellationToken)
    {
        if (target.JobId is { } id)
        {
            return [await client.GetAsync($"jobs/{Uri.EscapeDataString(id)}", cancellationToken)];
        }

        var list = await client.GetAsync("jobs?" + target.ListQuery, cancellationToken);
        return list["jobs"] is JsonArray jobs ? [.. jobs.OfType<JsonNode>()] : [];
    }

    private static TimeSpan Next(TimeSpan interval) =>
        TimeSpan.FromTicks(Math.Min(MaxInterval.Ticks, (long)(interval.Ticks * 1.5)));
}
