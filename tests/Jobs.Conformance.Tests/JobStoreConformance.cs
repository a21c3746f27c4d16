using Jobs.Core.Storage;

namespace Jobs.Conformance.Tests;

/// <summary>
/// The store conformance suite, written once against the port. Each adapter derives a class
/// that supplies its <see cref="IStoreFactory"/>; every test asks for a fresh store through
/// <see cref="StoreAsync"/>, which skips (visibly, with the factory's reason) when the adapter
/// cannot run on this machine.
/// </summary>
public abstract partial class JobStoreConformance(IStoreFactory factory) : IAsyncLifetime
{
    private readonly List<IStoreUnderTest> _stores = [];

    protected async Task<IStoreUnderTest> StoreAsync()
    {
        Skip.If(factory.SkipReason is not null, factory.SkipReason);
        var store = await factory.CreateAsync();
        _stores.Add(store);
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    protected static CancellationToken None => CancellationToken.None;

    protected static IJobStore Jobs(IStoreUnderTest store) => store.Jobs;
}
