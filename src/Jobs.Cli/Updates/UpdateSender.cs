using Jobs.Core.Updates;

namespace Jobs.Cli.Updates;

/// <summary>Sends one message, retrying failures that may pass with an exponential back-off.</summary>
public sealed class UpdateSender(IUpdateDestination destination, int attempts, Func<TimeSpan, CancellationToken, Task> delay)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The last result and how many attempts it took.</summary>
    public async Task<(DeliveryResult Result, int Attempts)> SendAsync(UpdateMessage message, byte[] body, Action<string> onRetry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await destination.SendAsync(message, body, cancellationToken);
            if (result.Status != DeliveryStatus.Transient || attempt >= attempts)
            {
                return (result, attempt);
            }

            var wait = Backoff(attempt, result.RetryAfter);
            onRetry($"attempt {attempt} of {attempts} failed ({result.Detail}); trying again in {wait.TotalSeconds:0.#} s");
            await delay(wait, cancellationToken);
        }
    }

    /// <summary>1 s, 2 s, 4 s, … (at most 30 s) with up to 20% jitter, or what the server asked for.</summary>
    internal static TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked < MaxDelay ? asked : MaxDelay;
        }

        var seconds = Math.Min(MaxDelay.TotalSeconds, FirstDelay.TotalSeconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromSeconds(seconds * (1 + (Random.Shared.NextDouble() * 0.2)));
    }
}
