using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Jobs.Cli.Aws;

/// <summary>Region, endpoint override and credentials for the SNS and SQS destinations.</summary>
public sealed record AwsSettings(string? Region, string? EndpointUrl)
{
    /// <summary>The region in an ARN (<c>arn:aws:sns:&lt;region&gt;:&lt;account&gt;:&lt;name&gt;</c>), or null.</summary>
    public static string? RegionOfArn(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" && parts[3].Length > 0 ? parts[3] : null;
    }

    /// <summary>The region of <c>https://sqs.&lt;region&gt;.amazonaws.com/…</c>, or null.</summary>
    public static string? RegionOfQueueUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var parts = uri.Host.Split('.');
        return parts.Length >= 4 && parts[0] == "sqs" && parts[2] == "amazonaws" ? parts[1] : null;
    }

    /// <summary>
    /// Credentials from the context's environment when it names them (what the SDK's chain reads
    /// first), else the SDK's default chain: web identity, profile, container, instance metadata.
    /// </summary>
    public static async Task<AWSCredentials> ResolveCredentialsAsync(CliContext context)
    {
        var key = context.Env("AWS_ACCESS_KEY_ID");
        var secret = context.Env("AWS_SECRET_ACCESS_KEY");
        if (key is not null && secret is not null)
        {
            var token = context.Env("AWS_SESSION_TOKEN");
            return token is null ? new BasicAWSCredentials(key, secret) : new SessionAWSCredentials(key, secret, token);
        }

        return await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync();
    }
}
