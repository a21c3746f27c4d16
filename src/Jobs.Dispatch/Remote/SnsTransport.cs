using Jobs.Aws;

namespace Jobs.Dispatch.Remote;

/// <summary>
/// <c>Jobs:Dispatch:Mode=sns</c>: publishes the payload to <see cref="DispatchOptions.TopicArn"/>
/// (a SigV4-signed Query API <c>Publish</c>, <see cref="SnsPublishClient"/>). FIFO topics get the
/// job id as group and deduplication id.
/// </summary>
public sealed class SnsTransport(SnsPublishClient sns, string topicArn) : IDispatchTransport
{
    public string Name => $"SNS topic {topicArn}";

    public async Task SendAsync(string jobId, byte[] payload, CancellationToken cancellationToken)
    {
        var fifo = topicArn.EndsWith(".fifo", StringComparison.Ordinal);
        var request = new SnsPublishRequest(topicArn, System.Text.Encoding.UTF8.GetString(payload), fifo ? jobId : null, fifo ? $"dispatch-{jobId}" : null);
        try
        {
            await sns.PublishAsync(request, cancellationToken);
        }
        catch (SnsException e)
        {
            throw new DispatchException($"{Name}: {e.Message}", e.IsTransient, e);
        }
        catch (HttpRequestException e)
        {
            throw new DispatchException($"cannot reach SNS at {sns.Endpoint}: {e.Message}", transient: true, e);
        }
    }
}
