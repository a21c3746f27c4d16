using System.Net;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Jobs.Core.Updates;

namespace Jobs.Cli.Updates;

/// <summary>Sends to an SQS queue with AWSSDK.SQS (FIFO queues: group id = job id, deduplication id = update id).</summary>
public sealed class SqsDestination(IAmazonSQS sqs, string queueUrl) : IUpdateDestination
{
    private static readonly string[] TransientCodes =
        ["Throttling", "ThrottlingException", "RequestThrottled", "ServiceUnavailable", "InternalError", "InternalFailure", "KmsThrottled", "RequestTimeout"];

    public string Name => $"SQS queue {queueUrl}";

    public bool Fifo => queueUrl.TrimEnd('/').EndsWith(".fifo", StringComparison.Ordinal);

    public async Task<DeliveryResult> SendAsync(UpdateMessage message, byte[] body, CancellationToken cancellationToken)
    {
        var request = new SendMessageRequest(queueUrl, System.Text.Encoding.UTF8.GetString(body));
        if (Fifo)
        {
            request.MessageGroupId = message.JobId;
            request.MessageDeduplicationId = message.Id;
        }

        try
        {
            var response = await sqs.SendMessageAsync(request, cancellationToken);
            return DeliveryResult.Delivered($"sent to {Name} (SQS message {response.MessageId})");
        }
        catch (AmazonServiceException e) when ((int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.TooManyRequests
                                               || TransientCodes.Contains(e.ErrorCode) || IsNetwork(e))
        {
            return DeliveryResult.Transient($"SQS: {e.ErrorCode} {e.Message}");
        }
        catch (AmazonServiceException e)
        {
            return DeliveryResult.Rejected($"SQS refused the message ({(int)e.StatusCode} {e.ErrorCode}): {e.Message}",
                e.ErrorCode is "AccessDenied" or "AccessDeniedException" or "InvalidClientTokenId" or "SignatureDoesNotMatch" or "ExpiredToken"
                    ? "check the AWS credentials: the role running the step needs sqs:SendMessage on the queue"
                    : "check --queue-url / JOBS_QUEUE_URL");
        }
        catch (Exception e) when (IsNetwork(e) || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return DeliveryResult.Transient($"cannot reach SQS: {e.Message}");
        }
        catch (AmazonClientException e)
        {
            return DeliveryResult.Rejected($"SQS client: {e.Message}", "check the AWS region and credentials (AWS_REGION, AWS_ACCESS_KEY_ID, a profile or an instance role)");
        }
    }

    private static bool IsNetwork(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is HttpRequestException or IOException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
