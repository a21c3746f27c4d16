using System.Globalization;
using System.Text.Json.Nodes;
using Jobs.Cli.Output;
using Spectre.Console;

namespace Jobs.Cli.Watching;

/// <summary>
/// Shows the jobs of a feed until they finish — live progress bars when a person watches, one
/// line per change otherwise — and says how they ended as an exit code: 0 all successful,
/// 1 one failed, 2 one dismissed (and none failed), 3 still running when the timeout ran out.
/// </summary>
public sealed class JobWatcher(CliContext context, IJobFeed feed)
{
    public async Task<int> WatchAsync(WatchTarget target, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var limit = timeout is { } t
            ? new CancellationTokenSource(t, context.Time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        var last = new Dictionary<string, JobFields>(StringComparer.Ordinal);
        try
        {
            if (context.Interactive)
            {
                await ShowBarsAsync(target, last, linked.Token);
            }
            else
            {
                await foreach (var job in feed.FollowAsync(target, linked.Token))
                {
                    var fields = JobFields.From(job);
                    last[fields.Id] = fields;
                    await context.Out.WriteLineAsync(Line(fields));
                }
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var running = last.Values.Where(f => !f.IsFinished).Select(f => $"{f.Id} ({f.Status})").ToList();
            await context.Error.WriteLineAsync($"jobsctl: still not finished after {timeout}: {string.Join(", ", running.DefaultIfEmpty("no answer yet"))}");
            return ExitCodes.StillRunning;
        }

        if (last.Count == 0)
        {
            await context.Out.WriteLineAsync("no job matches the filter");
            return ExitCodes.Ok;
        }

        foreach (var job in last.Values)
        {
            await context.Out.WriteLineAsync($"job {job.Id} {job.Status}");
        }

        return last.Values.Any(j => j.Status == "failed") ? ExitCodes.JobFailed
            : last.Values.Any(j => j.Status == "dismissed") ? ExitCodes.JobDismissed
            : ExitCodes.Ok;
    }

    private string Line(JobFields job)
    {
        var time = context.Time.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var parts = new[]
        {
            time, job.Id, job.Status,
            job.Progress is { } p ? $"{p}%" : null,
            job.Stage,
            job.Message is { } m ? $"\"{m}\"" : null,
        };
        return string.Join(" ", parts.Where(x => !string.IsNullOrEmpty(x)));
    }

    private async Task ShowBarsAsync(WatchTarget target, Dictionary<string, JobFields> last, CancellationToken cancellationToken)
    {
        var console = context.CreateConsole();
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                await foreach (var job in feed.FollowAsync(target, cancellationToken))
                {
                    var fields = JobFields.From(job);
                    last[fields.Id] = fields;
                    if (!tasks.TryGetValue(fields.Id, out var task))
                    {
                        tasks[fields.Id] = task = progress.AddTask(fields.Id, maxValue: 100);
                    }

                    task.Description = Markup.Escape($"{fields.Id} {fields.Process}") + " " + JobTables.StatusMarkup(fields.Status)
                        + Markup.Escape(fields.Stage is null ? "" : $" {fields.Stage}");
                    task.Value = fields.Progress ?? (fields.Status == "successful" ? 100 : task.Value);
                    if (fields.IsFinished)
                    {
                        task.StopTask();
                    }
                }
            });
    }
}
