using System.Collections.Concurrent;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Jobs.Core.Dispatch;
using Jobs.Core.Jobs;
using Jobs.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Dispatch.Local;

/// <summary>
/// <c>Jobs:Dispatch:Mode=local</c>: runs each job's CWL execution unit with cwltool on this
/// machine, at most <see cref="LocalRunnerOptions.MaxParallel"/> at once (the rest wait in a queue,
/// still <c>accepted</c>). For each job it writes the input object (the job's inputs plus
/// <c>job_id</c>, <c>update_token</c> and <c>api_url</c> for the workflow's Update Job steps),
/// reports <c>running</c> when cwltool starts, then <c>succeeded</c> with the output object mapped
/// to outputs, or <c>failed</c> with the exit code and the end of stderr. A job dismissed while it
/// runs has its cwltool stopped, with every process it started.
/// </summary>
public sealed partial class LocalRunner(
    IOptions<DispatchOptions> options, IJobStore store, JobReporter reporter, DispatchApiUrl apiUrl, DerivedUpdateTokens tokens, TimeProvider time, ILogger<LocalRunner> logger)
    : BackgroundService, IJobDispatcher, IPendingDispatches
{
    private readonly Channel<DispatchRequest> _queue = Channel.CreateUnbounded<DispatchRequest>();
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);
    private readonly LocalRunnerOptions _options = options.Value.Local;

    public bool IsPending(string jobId) => _pending.ContainsKey(jobId);

    public ValueTask DispatchAsync(DispatchRequest request, CancellationToken cancellationToken)
    {
        if (_pending.TryAdd(request.Job.Id, 0))
        {
            _queue.Writer.TryWrite(request);
        }

        return ValueTask.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await new InterruptedRuns(store, reporter, tokens, time, logger).RecoverAsync(Path.GetFullPath(_options.WorkPath), stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Looking for workflows cut off by the API's last stop failed; their jobs may still show running");
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.MaxParallel)).Select(_ => WorkAsync(stoppingToken)));
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        await foreach (var request in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(request, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Running job {JobId} failed", request.Job.Id);
            }
            finally
            {
                _pending.TryRemove(request.Job.Id, out _);
            }
        }
    }

    private async Task RunAsync(DispatchRequest request, CancellationToken stoppingToken)
    {
        var job = request.Job;
        var token = request.UpdateToken;

        // Dismissed (or finished by someone else) while it waited in the queue: nothing to run.
        if (await store.GetAsync(job.Id, stoppingToken) is not { Status: JobStatus.Submitted })
        {
            return;
        }

        var run = Path.GetFullPath(Path.Combine(_options.WorkPath, job.Id));
        Directory.CreateDirectory(run);
        var target = ExecutionUnits.Resolve(request.Process.ExecutionUnit, run, _options.BaseDirectory);
        if (target.Workflow is null)
        {
            await reporter.ReportAsync(DispatchUpdates.Failed(job.Id, token, time.GetUtcNow(), DispatchUpdates.DispatchFailed, $"cannot run process {job.ProcessId}: {target.Error}"), stoppingToken);
            return;
        }

        var api = apiUrl.Get();
        var inputs = await WriteInputsAsync(run, request, api, stoppingToken);
        CwlProcess process;
        try
        {
            process = CwlProcess.Start(_options.Cwltool, Arguments(run, target.Workflow, inputs), run, Environment(job.Id, api), Path.Combine(run, "cwltool.log"), _options.StderrTailChars);
        }
        catch (Win32Exception e)
        {
            await reporter.ReportAsync(DispatchUpdates.Failed(job.Id, token, time.GetUtcNow(), DispatchUpdates.DispatchFailed, $"cannot start {_options.Cwltool}: {e.Message}"), stoppingToken);
            return;
        }

        using (process)
        {
            logger.LogInformation("Job {JobId}: cwltool started (pid {Pid}) on {Workflow}", job.Id, process.Id, target.Workflow);
            process.Mark(run);
            await reporter.ReportAsync(DispatchUpdates.Running(job.Id, token, time.GetUtcNow(), $"cwltool started (pid {process.Id})"), stoppingToken);

            using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var watch = WatchForDismissAsync(job.Id, process, watching.Token);
            CwlExit exit;
            try
            {
                exit = await process.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // The API is stopping: a workflow it no longer watches must not stay running.
                process.Kill();
                await reporter.ReportAsync(DispatchUpdates.Failed(job.Id, token, time.GetUtcNow(), DispatchUpdates.Interrupted, "the API stopped while cwltool was running; resubmit the job to run it again"), CancellationToken.None);
                RunMarker.Delete(run);
                throw;
            }
            finally
            {
                await watching.CancelAsync();
                await watch;
            }

            await ReportExitAsync(request, exit, stoppingToken);
            RunMarker.Delete(run);
        }
    }

    private async Task ReportExitAsync(DispatchRequest request, CwlExit exit, CancellationToken cancellationToken)
    {
        var job = request.Job;
        var token = request.UpdateToken;
        if (exit.Killed)
        {
            logger.LogInformation("Job {JobId} was dismissed: cwltool stopped", job.Id);
            return;
        }

        var now = time.GetUtcNow();
        if (exit.ExitCode != 0)
        {
            var tail = Tail(exit.StderrTail.Replace(token, "(update token)", StringComparison.Ordinal));
            await reporter.ReportAsync(DispatchUpdates.Failed(job.Id, token, now, DispatchUpdates.WorkflowFailed, $"cwltool exited with code {exit.ExitCode}: {tail}"), cancellationToken);
            return;
        }

        JsonElement outputObject;
        try
        {
            outputObject = JsonDocument.Parse(exit.Stdout).RootElement;
        }
        catch (JsonException e)
        {
            await reporter.ReportAsync(DispatchUpdates.Failed(job.Id, token, now, DispatchUpdates.WorkflowFailed, $"cwltool exited with code 0 but its output object is not JSON: {e.Message}"), cancellationToken);
            return;
        }

        // Outputs the workflow reported itself (its stage-out URLs) win over cwltool's local files.
        var current = await store.GetAsync(job.Id, cancellationToken);
        var outputs = CwlOutputs.Map(outputObject)
            .Where(o => current is null || !current.Outputs.ContainsKey(o.Key))
            .ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        await reporter.ReportAsync(DispatchUpdates.Succeeded(job.Id, token, now, outputs), cancellationToken);
    }

    private async Task WatchForDismissAsync(string jobId, CwlProcess process, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.DismissPollInterval, time, cancellationToken);
                if (await store.GetAsync(jobId, cancellationToken) is { Status: JobStatus.Dismissed })
                {
                    process.Kill();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Watching job {JobId} for a dismissal failed", jobId);
        }
    }

    private List<string> Arguments(string run, string workflow, string inputs)
    {
        var arguments = new List<string> { "--disable-color", "--outdir", Path.Combine(run, "outputs"), "--preserve-environment", "JOBS_API_URL", "--preserve-environment", "JOBS_JOB_ID" };
        if (_options.NoContainer)
        {
            arguments.Add("--no-container");
        }

        arguments.AddRange(_options.Arguments);
        arguments.Add(workflow);
        arguments.Add(inputs);
        return arguments;
    }

    private Dictionary<string, string> Environment(string jobId, string? api)
    {
        var environment = new Dictionary<string, string>(_options.Environment) { ["JOBS_JOB_ID"] = jobId };
        if (api is not null)
        {
            environment["JOBS_API_URL"] = api;
        }

        return environment;
    }

    /// <summary>The job's inputs as cwltool's input object, plus what the Update Job steps need (unless an input has the name).</summary>
    private static async Task<string> WriteInputsAsync(string run, DispatchRequest request, string? api, CancellationToken cancellationToken)
    {
        var inputs = new JsonObject();
        foreach (var (name, value) in request.Job.Inputs)
        {
            inputs[name] = JsonNode.Parse(value.GetRawText());
        }

        inputs.TryAdd("job_id", request.Job.Id);
        inputs.TryAdd("update_token", request.UpdateToken);
        if (api is not null)
        {
            inputs.TryAdd("api_url", api);
        }

        var path = Path.Combine(run, "inputs.json");
        await using var file = OwnerOnlyFile.Open(path, FileMode.Create);
        await JsonSerializer.SerializeAsync(file, inputs, cancellationToken: cancellationToken);
        return path;
    }

    /// <summary>The last <see cref="LocalRunnerOptions.StderrTailChars"/> characters, without terminal colour codes.</summary>
    private string Tail(string stderr)
    {
        var text = AnsiEscape().Replace(stderr, "").Trim();
        return text.Length <= _options.StderrTailChars ? text : "…" + text[^_options.StderrTailChars..];
    }

    [GeneratedRegex("\u001b\\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
