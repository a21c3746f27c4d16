using System.Text.Json.Nodes;
using Jobs.Cli.Client;
using Jobs.Cli.Output;
using Jobs.Cli.Watching;

namespace Jobs.Cli.Commands;

/// <summary>What to execute: a process (and version), inputs, labels, notification URIs, an idempotency key.</summary>
internal sealed record Submission(string Process, JsonObject Inputs, IReadOnlyList<string> Labels, IReadOnlyList<string> Notify, string? IdempotencyKey);

/// <summary>
/// Executes a process (<c>POST /processes/{id}:{version}/jobs</c>, or <c>/processes/{id}/jobs</c>
/// for the latest version), prints the new job, and optionally waits for it to finish. Shared by
/// <c>submit</c> and <c>resubmit</c>.
/// </summary>
internal sealed class JobSubmitter(CliContext context, JobsClient client)
{
    public async Task<int> SubmitAsync(Submission submission, string output, bool wait, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["inputs"] = submission.Inputs.DeepClone() };
        if (submission.Labels.Count > 0)
        {
            body["labels"] = new JsonArray([.. submission.Labels.Distinct(StringComparer.Ordinal).Select(l => (JsonNode)l)]);
        }

        if (submission.Notify.Count > 0)
        {
            // OGC API - Processes' subscriber: called when the job succeeds, fails or (optionally) progresses.
            var notify = submission.Notify[0];
            body["subscriber"] = new JsonObject { ["successUri"] = notify, ["failedUri"] = notify };
            if (submission.Notify.Count > 1)
            {
                body["subscriber"]!["inProgressUri"] = submission.Notify[1];
            }
        }

        var headers = submission.IdempotencyKey is { } key ? new Dictionary<string, string> { ["Idempotency-Key"] = key } : null;
        var created = await client.SendAsync(HttpMethod.Post, $"processes/{ProcessPath(submission.Process)}/jobs", body, headers, cancellationToken);
        var job = created.Body ?? throw new CliException(ExitCodes.Transient, "the API created a job but answered no statusInfo");
        var id = JobFields.From(job).Id;
        switch (output)
        {
            case "json":
                JobTables.WriteJson(context, job);
                break;
            case "id":
                await context.Out.WriteLineAsync(id);
                break;
            case "env":
                // For `eval "$(jobsctl submit … -o env)"`: what `jobsctl update` and `jobsctl run` read.
                await context.Out.WriteLineAsync(
                    $"export JOBS_API_URL={Quote(client.Connection.ApiUrl.ToString().TrimEnd('/'))} JOBS_JOB_ID={Quote(id)} JOBS_UPDATE_TOKEN={Quote(job["updateToken"]?.ToString() ?? "")}");
                break;
            default:
                await context.Out.WriteLineAsync($"job {id} {JobFields.From(job).Status} (process {submission.Process})");
                if (!wait)
                {
                    await context.Out.WriteLineAsync($"follow it with: jobsctl watch {id}");
                }

                break;
        }

        if (!wait)
        {
            return ExitCodes.Ok;
        }

        // With JSON or an id on stdout, the progress goes to stderr so stdout stays machine-readable.
        var watchContext = output == "table" ? context : context with { Out = context.Error, Interactive = false };
        return await new JobWatcher(watchContext, JobFeeds.For(context, client))
            .WatchAsync(new WatchTarget(id, null), timeout, cancellationToken);
    }

    /// <summary>A POSIX shell single-quoted word.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary><c>id</c> or <c>id:version</c>, each part escaped for the path.</summary>
    public static string ProcessPath(string process)
    {
        var colon = process.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? CommandActions.Segment(process)
            : $"{CommandActions.Segment(process[..colon])}:{CommandActions.Segment(process[(colon + 1)..])}";
    }
}
