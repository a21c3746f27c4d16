using Amazon;
using Amazon.SQS;

namespace Jobs.Aws;

/// <summary>
/// Builds an SQS client for a queue URL, honouring endpoint overrides (LocalStack): the update
/// consumer's poller and the events publisher both use it.
/// </summary>
public static class SqsClients
{
    /// <param name="queueUrl">The queue (its region and, off AWS, its endpoint come from it).</param>
    /// <param name="serviceUrl">An explicit endpoint, else <c>AWS_ENDPOINT_URL_SQS</c> / <c>AWS_ENDPOINT_URL</c>.</param>
    /// <param name="region">An explicit region, else the queue URL's, else the SDK's usual sources.</param>
    /// <param name="configure">Anything else of the client's configuration (time-outs, retries).</param>
    public static IAmazonSQS Create(string? queueUrl, string? serviceUrl, string? region, Action<AmazonSQSConfig>? configure = null)
    {
        var config = new AmazonSQSConfig();
        configure?.Invoke(config);
        var endpoint = EndpointFor(queueUrl, serviceUrl);
        region ??= RegionOf(queueUrl);
        if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            if (region is not null)
            {
                config.AuthenticationRegion = region;
            }
        }

        return new AmazonSQSClient(config);
    }

    /// <summary>
    /// <paramref name="serviceUrl"/>, else <c>AWS_ENDPOINT_URL_SQS</c> / <c>AWS_ENDPOINT_URL</c>, else the queue
    /// URL's own origin when it is not an AWS host (a LocalStack queue URL works as is).
    /// </summary>
    public static string? EndpointFor(string? queueUrl, string? serviceUrl)
    {
        var configured = serviceUrl
            ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SQS")
            ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return Uri.TryCreate(queueUrl, UriKind.Absolute, out var url) && !url.Host.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase)
            ? url.GetLeftPart(UriPartial.Authority)
            : null;
    }

    /// <summary>The region of <c>https://sqs.&lt;region&gt;.amazonaws.com/…</c>, or null.</summary>
    public static string? RegionOf(string? queueUrl)
    {
        if (!Uri.TryCreate(queueUrl, UriKind.Absolute, out var url))
        {
            return null;
        }

        var parts = url.Host.Split('.');
        return parts.Length >= 4 && parts[0] == "sqs" && parts[^2] == "amazonaws" ? parts[1] : null;
    }
}
