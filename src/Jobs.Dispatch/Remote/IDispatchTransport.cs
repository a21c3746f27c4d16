namespace Jobs.Dispatch.Remote;

/// <summary>Where a remote dispatch goes: a webhook or an SNS topic.</summary>
public interface IDispatchTransport
{
    /// <summary>Names the destination in the job's history ("webhook https://…", "SNS topic arn:…").</summary>
    string Name { get; }

    /// <summary>
    /// Sends the payload once. Throws <see cref="DispatchException"/> when the destination did
    /// not take it; <see cref="DispatchException.Transient"/> says whether to try again.
    /// </summary>
    Task SendAsync(string jobId, byte[] payload, CancellationToken cancellationToken);
}

/// <summary>A destination that did not take a dispatch.</summary>
public sealed class DispatchException(string message, bool transient, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;
}
