using Jobs.Core.Dispatch;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Processes;

namespace Jobs.Core.Execution;

/// <summary>A job to store and the update token to hand out once.</summary>
public sealed record NewJob(JobDocument Job, string UpdateToken);

/// <summary>Builds the job document for an accepted execute request.</summary>
public static class JobFactory
{
    /// <summary>
    /// The job of an accepted request by <paramref name="userId"/> at <paramref name="now"/>, with
    /// its <paramref name="idempotency"/> record when the request carried an <c>Idempotency-Key</c> header.
    /// Its update token comes from <paramref name="tokens"/> (random when not given).
    /// </summary>
    public static NewJob Create(
        ProcessDescriptionView process, ExecuteRequest request, string? userId, DateTimeOffset now, IdempotencyRecord? idempotency = null, IUpdateTokenSource? tokens = null)
    {
        var id = JobIds.New(now);
        var token = (tokens ?? RandomUpdateTokens.Instance).For(id);
        var job = new JobDocument
        {
            Id = id,
            ProcessId = process.Id,
            ProcessVersion = process.Version,
            Inputs = request.Inputs,
            UserId = userId,
            Created = now,
            Request = request.ToStoredRequest(),
            TokenSha256 = UpdateToken.Hash(token),
            Idempotency = idempotency,
        };
        return new NewJob(JobMerger.Create(job, request.Labels), token);
    }
}
