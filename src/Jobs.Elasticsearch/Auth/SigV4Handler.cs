using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Jobs.Core.Storage;

namespace Jobs.Elasticsearch.Auth;

/// <summary>
/// Signs each attempt of each request with AWS Signature Version 4 (AWSSDK.Core's
/// <see cref="AWSSigV4Signer"/>) for Amazon OpenSearch Service. It sits inside the retry
/// handler, so a retried request is signed again with a fresh date.
/// </summary>
/// <remarks>
/// The payload is always hashed into <c>x-amz-content-sha256</c>: OpenSearch Serverless
/// requires it and domains accept it. A session token is sent as <c>X-Amz-Security-Token</c>
/// by the signer.
/// </remarks>
internal sealed class SigV4Handler(AwsCredentialsSource credentials, RegionEndpoint region, string service, TimeProvider time)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.RequestUri, Content = body };
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            signing.Headers["Content-Type"] = contentType.ToString();
        }

        var parameters = new AWSSigV4Parameters
        {
            Credentials = await credentials.GetAsync(cancellationToken),
            Region = region,
            Service = service,
            SignPayload = true,
            SignedAt = time.GetUtcNow().UtcDateTime,
        };
        var signed = await AWSSigV4Signer.SignAsync(signing, parameters, cancellationToken);
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

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
