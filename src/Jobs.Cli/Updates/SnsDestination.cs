using Jobs.Aws;
using Jobs.Core.Updates;

namespace Jobs.Cli.Updates;

/// <summary>Publishes to an SNS topic (FIFO topics: group id = job id, deduplication id = update id).</summary>
public sealed class SnsDestination(SnsPublishClient sns, string topicArn) : IUpdateDestination
{
    public string Name => $"SNS topic {topicArn}";

    public bool Fifo => topicArn.EndsWith(".fifo", StringComparison.Ordinal);

    public async Task<DeliveryResult> SendAsync(UpdateMessage message, byte[] body, CancellationToken cancellationToken)
    {
        var request = new SnsPublishRequest(topicArn, System.Text.Encoding.UTF8.GetString(body),
            Fifo ? message.JobId : null, Fifo ? message.Id : null);
        try
        {
            var id = await sns.PublishAsync(request, cancellationToken);
            return DeliveryResult.Delivered($"published to {Name} (SNS message {id})");
        }
        catch (SnsException e) when (e.IsTransient)
        {
            return DeliveryResult.Transient($"SNS: {e.Message}");
        }
        catch (SnsException e)
        {
            return DeliveryResult.Rejected($"SNS refused the publish ({(int?)e.Status} {e.Code}): {e.ServiceMessage}", e.Code switch
            {
                "NotFound" => "check --topic-arn / JOBS_TOPIC_ARN",
                "AuthorizationError" or "AccessDenied" or "InvalidClientTokenId" or "SignatureDoesNotMatch" or "ExpiredToken" =>
                    "check the AWS credentials: the role running the step needs sns:Publish on the topic",
                _ => "check --topic-arn / JOBS_TOPIC_ARN and the message options",
            });
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Transient($"cannot reach SNS at {sns.Endpoint}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Transient($"SNS at {sns.Endpoint} did not answer in time");
        }
    }
}
