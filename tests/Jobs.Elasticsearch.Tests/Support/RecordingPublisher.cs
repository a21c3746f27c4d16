using Jobs.Core.Notifications;

namespace Jobs.Elasticsearch.Tests.Support;

/// <summary>An events publisher that keeps what it was given, and can refuse on purpose (a queue that is down).</summary>
internal sealed class RecordingPublisher : IEventPublisher
{
    private readonly List<OutboxEvent> _published = [];

    public bool Fail { get; set; }

    public IReadOnlyList<OutboxEvent> Published
    {
        get
        {
            lock (_published)
            {
                return [.. _published];
            }
        }
    }

    public Task PublishAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new HttpRequestException("the queue is not reachable");
        }

        lock (_published)
        {
            _published.AddRange(events);
        }

        return Task.CompletedTask;
    }
}
