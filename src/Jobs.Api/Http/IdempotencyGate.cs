namespace Jobs.Api.Http;

/// <summary>
/// Serialises executes that carry the same idempotency key within this process, so a retry sent
/// while the first attempt is still being stored waits for it and then finds its job instead of
/// creating a second one. Keys share 64 stripes: two keys on one stripe only wait for each other.
/// Instances behind a load balancer do not share this gate; there a retry can only race an
/// attempt still in flight on another instance (see docs/decisions.md).
/// </summary>
public sealed class IdempotencyGate
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<IDisposable> EnterAsync(string keySha256, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(keySha256) % (uint)_stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    private sealed class Releaser(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
