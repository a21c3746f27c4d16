using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Updates;

namespace Jobs.Core.Dispatch;

/// <summary>
/// The update messages the dispatcher sends about a job, through the same merge as a worker's
/// (source <see cref="EventSources.Dispatch"/>, carrying the job's token). Their update ids are
/// derived from the job id, so a dispatch repeated after a crash adds duplicates, not new events.
/// </summary>
public static class DispatchUpdates
{
    /// <summary>
    /// The stage of the dispatch marker: a job still <c>submitted</c> without it was never handed
    /// to its backend (the sweep looks for exactly that).
    /// </summary>
    public const string DispatchedStage = "dispatched";

    /// <summary>The stage the local runner reports when cwltool starts.</summary>
    public const string StartedStage = "started";

    /// <summary>The error type of a workflow that ended with a non-zero exit code.</summary>
    public const string WorkflowFailed = "workflow-failed";

    /// <summary>The error type of a workflow cut off by the API stopping (or dying) while it ran.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>The error type of a job the runner could not start or a backend never took.</summary>
    public const string DispatchFailed = "dispatch-failed";

    /// <summary>Recorded once the backend took the job (a webhook answered 2xx, SNS accepted it).</summary>
    public static UpdateMessage Dispatched(string jobId, string token, DateTimeOffset time, string where) =>
        New(jobId, token, time, "dispatched") with { Stage = DispatchedStage, Message = $"dispatched to {where}" };

    /// <summary>The local runner started the workflow.</summary>
    public static UpdateMessage Running(string jobId, string token, DateTimeOffset time, string message) =>
        New(jobId, token, time, "running") with { Status = JobStatus.Running, Stage = StartedStage, Message = message };

    /// <summary>The workflow ended well, with the outputs it produced.</summary>
    public static UpdateMessage Succeeded(string jobId, string token, DateTimeOffset time, IReadOnlyDictionary<string, JsonElement> outputs) =>
        New(jobId, token, time, "succeeded") with
        {
            Status = JobStatus.Succeeded,
            Progress = 100,
            Outputs = outputs.Count == 0 ? null : outputs,
        };

    /// <summary>The workflow failed, or could not be run or dispatched at all.</summary>
    public static UpdateMessage Failed(string jobId, string token, DateTimeOffset time, string type, string message) =>
        New(jobId, token, time, "failed") with { Status = JobStatus.Failed, Error = new JobError(type, message) };

    private static UpdateMessage New(string jobId, string token, DateTimeOffset time, string kind) =>
        new() { Id = $"dispatch-{kind}-{jobId}", JobId = jobId, Token = token, Time = time };
}
