using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Cli.Client;
using Jobs.Cli.Config;
using Jobs.Cli.Output;

namespace Jobs.Cli.Updates;

/// <summary>
/// One <c>jobsctl run</c>: the updates around a child process, the child's stderr tail, the
/// dismissal check, and the outputs read back after success. See <see cref="RunCommand"/>.
/// </summary>
internal sealed partial class WorkerRun(CliContext context)
{
    private const string Prefix = "jobsctl run: ";

    /// <summary>The exit code of a shell for a command that cannot be started.</summary>
    private const int CannotStart = 127;

    /// <summary>The exit code of a shell for a command stopped by SIGINT.</summary>
    private const int Interrupted = 130;

    public sealed record Options(
        string JobId, string Token, UpdateTarget Target, IReadOnlyList<string> Command, string? Stage,
        string? OutputsFile, bool StdoutOutputs, IReadOnlyList<string> Outputs, TimeSpan CheckEvery, int TailLines);

    public async Task<int> RunAsync(Options options, CancellationToken cancellationToken)
    {
        // The tool's own lines go to stderr: the command's stdout stays its own (cwltool prints its outputs there).
        var updates = new UpdateRun(context with { Out = context.Error }, Prefix);
        var name = Path.GetFileName(options.Command[0]);
        var running = await updates.RunAsync(
            new UpdateRequest(options.JobId, options.Token, Status: "running", Stage: options.Stage ?? name, Message: $"running {name}"),
            options.Target, dryRun: false, cancellationToken);
        if (running != ExitCodes.Ok)
        {
            await context.Error.WriteLineAsync($"{Prefix}did not start {name}: the job could not be reported running (exit {running})");
            return running;
        }

        var start = new ProcessStartInfo(options.Command[0]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = options.StdoutOutputs };
        foreach (var argument in options.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // Nested `jobsctl update` calls of the command report on the same job without more arguments.
        start.Environment["JOBS_JOB_ID"] = options.JobId;
        start.Environment["JOBS_UPDATE_TOKEN"] = options.Token;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"cannot start {options.Command[0]}");
        }
        catch (Win32Exception e)
        {
            await FailAsync(updates, options, "command-not-started", $"cannot start {options.Command[0]}: {e.Message}", cancellationToken);
            await context.Error.WriteLineAsync($"{Prefix}cannot start {options.Command[0]}: {e.Message}");
            return CannotStart;
        }

        using (process)
        {
            var tail = new Queue<string>();
            var stdout = new StringBuilder();
            var pumps = new List<Task> { PumpAsync(process.StandardError, context.Error, line => Keep(tail, Ansi().Replace(line, ""), options.TailLines)) };
            if (options.StdoutOutputs)
            {
                pumps.Add(PumpAsync(process.StandardOutput, context.Out, line => stdout.AppendLine(line)));
            }

            var outcome = await WaitAsync(process, options, cancellationToken);
            if (outcome != Outcome.Exited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(pumps);

            if (outcome == Outcome.Dismissed)
            {
                await context.Error.WriteLineAsync($"{Prefix}job {options.JobId} was DISMISSED: stopped {name}. Its outputs are not reported (exit 2 = job dismissed).");
                return ExitCodes.JobDismissed;
            }

            if (outcome == Outcome.Cancelled)
            {
                await FailAsync(updates, options, "interrupted", $"{name} was interrupted (jobsctl run was stopped)", CancellationToken.None);
                return Interrupted;
            }

            if (process.ExitCode != 0)
            {
                var stderr = string.Join("\n", tail);
                var reported = await FailAsync(updates, options, "command-failed",
                    $"{name} exited {process.ExitCode}" + (stderr.Length > 0 ? $": {stderr}" : ""), cancellationToken);
                return reported == ExitCodes.JobDismissed ? reported : process.ExitCode;
            }

            List<string> outputs;
            try
            {
                outputs = [.. ReadOutputs(options, stdout.ToString())];
            }
            catch (CliException e)
            {
                await FailAsync(updates, options, "outputs-unreadable", e.Message, cancellationToken);
                await context.Error.WriteLineAsync($"{Prefix}{e.Message}");
                return e.ExitCode;
            }

            return await updates.RunAsync(
                new UpdateRequest(options.JobId, options.Token, Status: "succeeded", Progress: 100, Outputs: outputs),
                options.Target, dryRun: false, cancellationToken);
        }
    }

    private enum Outcome
    {
        Exited,
        Dismissed,
        Cancelled,
    }

    /// <summary>Waits for the command, looking every <c>CheckEvery</c> whether the job was dismissed.</summary>
    private async Task<Outcome> WaitAsync(Process process, Options options, CancellationToken cancellationToken)
    {
        using var checks = StatusClient(options);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var checking = checks is not null;
        while (true)
        {
            var tick = checking ? context.Delay(options.CheckEvery, stop.Token) : Task.Delay(Timeout.Infinite, stop.Token);
            var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
            var first = await Task.WhenAny(exited, tick, cancelled);
            if (first == exited)
            {
                await stop.CancelAsync();
                return Outcome.Exited;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return Outcome.Cancelled;
            }

            try
            {
                var job = await checks!.GetAsync($"jobs/{Uri.EscapeDataString(options.JobId)}", cancellationToken);
                if (JobFields.From(job).Status == "dismissed")
                {
                    return Outcome.Dismissed;
                }
            }
            catch (CliException e) when (e.ExitCode is ExitCodes.NoPermission or ExitCodes.Rejected)
            {
                // The worker may not read jobs (no user credential): the final update will say whether it was dismissed.
                await context.Error.WriteLineAsync($"{Prefix}cannot look up job {options.JobId} ({e.Message}); not checking for dismissal any more");
                checking = false;
            }
            catch (CliException)
            {
                // Unreachable for now: look again next time.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Outcome.Cancelled;
            }
        }
    }

    /// <summary>A client for the job lookups: only with an API destination (not SNS/SQS) and a check interval.</summary>
    private JobsClient? StatusClient(Options options)
    {
        var url = options.Target.ApiUrl ?? context.Env("JOBS_API_URL");
        if (options.CheckEvery <= TimeSpan.Zero || url is null || options.Target.QueueUrl is not null || options.Target.TopicArn is not null
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var token = context.Env("JOBS_TOKEN");
        return new JobsClient(context, new Connection(uri, token, token is null ? context.Env("JOBS_API_KEY") : null, "worker"));
    }

    private Task<int> FailAsync(UpdateRun updates, Options options, string type, string message, CancellationToken cancellationToken) =>
        updates.RunAsync(
            new UpdateRequest(options.JobId, options.Token, Status: "failed", ErrorType: type, ErrorMessage: Limit(message)),
            options.Target, dryRun: false, cancellationToken);

    /// <summary>
    /// Outputs as <c>name=value</c> pairs: from --outputs-file or the captured stdout (a JSON
    /// object; a CWL File or Directory gives its location, a list gives several), then --output.
    /// </summary>
    private static IEnumerable<string> ReadOutputs(Options options, string stdout)
    {
        var documents = new List<(string Source, string Text)>();
        if (options.OutputsFile is { } file)
        {
            try
            {
                documents.Add(($"--outputs-file {file}", File.ReadAllText(file)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.Rejected, $"the command succeeded but its outputs file cannot be read: {e.Message}");
            }
        }

        if (options.StdoutOutputs)
        {
            documents.Add(("the command's stdout", stdout));
        }

        foreach (var (source, text) in documents)
        {
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new CliException(ExitCodes.Rejected, $"the command succeeded but {source} is not a JSON object of outputs ({e.Message})");
            }

            if (json is not JsonObject map)
            {
                throw new CliException(ExitCodes.Rejected, $"the command succeeded but {source} is not a JSON object of outputs");
            }

            foreach (var (name, value) in map)
            {
                foreach (var item in value is JsonArray list ? list.ToList() : [value])
                {
                    if (item is null)
                    {
                        continue;
                    }

                    yield return $"{name}={Value(item)}";
                }
            }
        }

        foreach (var pair in options.Outputs)
        {
            yield return pair;
        }
    }

    private static string Value(JsonNode item) => item switch
    {
        JsonObject o when o["class"]?.ToString() is "File" or "Directory" && o["location"] is { } location => location.ToString(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.ToString(),
        _ => item.ToJsonString(),
    };

    private static async Task PumpAsync(StreamReader from, TextWriter to, Action<string> keep)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            keep(line);
            await to.WriteLineAsync(line);
        }
    }

    private static void Keep(Queue<string> tail, string line, int max)
    {
        lock (tail)
        {
            tail.Enqueue(line);
            while (tail.Count > max)
            {
                tail.Dequeue();
            }
        }
    }

    /// <summary>Terminal colour codes (cwltool colours its log): kept out of the job's error message.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\x1B\[[0-9;?]*[A-Za-z]")]
    private static partial System.Text.RegularExpressions.Regex Ansi();

    /// <summary>The error message stays well inside the 256 KiB update limit.</summary>
    private static string Limit(string message) => message.Length <= 4000 ? message : "…" + message[^3999..];
}
