using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Jobs.Core.Storage;

namespace Jobs.Elasticsearch.Auth;

/// <summary>
/// The AWS credentials to sign with: those registered in the container, else the SDK's default
/// chain (environment, web identity, profile, container, EC2 instance metadata), resolved on
/// first use and refreshed by the SDK.
/// </summary>
internal sealed class AwsCredentialsSource(AWSCredentials? configured)
{
    private AWSCredentials? _resolved = configured;

    public async ValueTask<AWSCredentials> GetAsync(CancellationToken cancellationToken)
    {
        if (_resolved is { } known)
        {
            return known;
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            _resolved = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null!);
            return _resolved;
        }
        catch (AmazonClientException e)
        {
            throw new StoreUnavailableException(
                "SigV4 signing is configured (Jobs__Elasticsearch__Auth=SigV4) but no AWS credentials were found: " + e.Message, e);
        }
    }
}
