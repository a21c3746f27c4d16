using Jobs.Functions.Tests.Fakes;
using Jobs.UpdatesFunction;
using Jobs.UpdatesFunction.Consumer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.Functions.Tests.Consumer;

/// <summary>The consumer core on the embedded store (behind a fault door), with its clock, settings and metrics at hand.</summary>
internal sealed class ConsumerHarness : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public ConsumerHarness(bool acceptLegacy = false, TimeSpan? creationWindow = null)
    {
        Store = new FaultyJobStore(Time);
        Options = new UpdatesOptions { AcceptLegacy = acceptLegacy, CreationWindow = creationWindow ?? TimeSpan.FromMinutes(5) };
        Metrics = new UpdateMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        Counts = new OutcomeCounter(Metrics.Meter);
        Processor = new UpdateBatchProcessor(Store, Microsoft.Extensions.Options.Options.Create(Options), Metrics, Time,
            NullLogger<UpdateBatchProcessor>.Instance);
    }

    public FaultyJobStore Store { get; }

    public ManualTime Time { get; } = new(TestMessages.T0.AddMinutes(1));

    public UpdatesOptions Options { get; }

    public UpdateMetrics Metrics { get; }

    public OutcomeCounter Counts { get; }

    public UpdateBatchProcessor Processor { get; }

    public Task<BatchOutcome> RunAsync(params QueueMessage[] messages) => Processor.ProcessAsync(messages, fifo: false, CancellationToken.None);

    public Task<BatchOutcome> RunFifoAsync(params QueueMessage[] messages) => Processor.ProcessAsync(messages, fifo: true, CancellationToken.None);

    public void Dispose()
    {
        Store.Dispose();
        Counts.Dispose();
        Metrics.Dispose();
        _services.Dispose();
    }
}
