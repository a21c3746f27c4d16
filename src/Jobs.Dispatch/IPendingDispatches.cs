namespace Jobs.Dispatch;

/// <summary>What a dispatcher of this process holds now (queued, running or being retried): the sweep leaves those alone.</summary>
public interface IPendingDispatches
{
    bool IsPending(string jobId);
}
