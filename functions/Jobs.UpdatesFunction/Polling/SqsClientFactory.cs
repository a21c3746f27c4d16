using Amazon;
using Amazon.SQS;

namespace Jobs.UpdatesFunction.Polling;

/// <summary>Builds the SQS client from <see cref="UpdatesOptions"/>, honouring endpoint overrides (LocalStack).</summary>
internal static class SqsClientFactory
{
    public static IAmazonSQS Create(UpdatesOptions options)
    {
        var config = new AmazonSQSConfig();
        var endpoint = EndpointFor(options);
        var region = options.Region ?? RegionOf(options.QueueUrl);
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
    /// <c>ServiceUrl</c>, else <c>AWS_ENDPOINT_URL_SQS</c> / <c>AWS_ENDPOINT_URL</c>, else the queue
    /// URL's own origin when it is not an AWS host (a LocalStack queue URL works as is).
    /// </summary>
    internal static string? EndpointFor(UpdatesOptions options)
    {
        var configured = options.ServiceUrl
            ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SQS")
            ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return Uri.TryCreate(options.QueueUrl, UriKind.Absolute, out var url) && !url.Host.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase)
            ? url.GetLeftPart(UriPartial.Authority)
            : null;
    }

    /// <summary>The region of <c>https://sqs.&lt;region&gt;.amazonaws.com/…</c>, or null.</summary>
    internal static string? RegionOf(string? queueUrl)
    {
        if (!Uri.TryCreate(queueUrl, UriKind.Absolute, out var url))
        {
            return null;
        }

        var parts = url.Host.Split('.');
        return parts.Length >= 4 && parts[0] == "sqs" && parts[^2] == "amazonaws" ? parts[1] : null;
    }
}
