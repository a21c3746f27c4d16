using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Jobs.Aws;

/// <summary>
/// Signs each request that passes through it with AWS Signature Version 4 (AWSSDK.Core's
/// <see cref="AWSSigV4Signer"/>), dated by the injected <see cref="TimeProvider"/>. Placed inside a
/// retry handler, every attempt is signed afresh with the time it is sent.
/// </summary>
/// <remarks>
/// The body is read (and so buffered) to be hashed, and its hash is signed and sent as
/// <c>x-amz-content-sha256</c>: OpenSearch Serverless requires it, domains and the other services
/// accept it. With session credentials the signer adds <c>X-Amz-Security-Token</c>.
/// </remarks>
public sealed class SigV4Handler : DelegatingHandler
{
    private readonly Func<CancellationToken, ValueTask<AWSCredentials>> _credentials;
    private readonly RegionEndpoint _region;
    private readonly string _service;
    private readonly TimeProvider _time;

    /// <param name="credentials">The credentials for each request (resolved, cached and refreshed by the caller or the SDK).</param>
    /// <param name="region">The region in the credential scope, e.g. <c>us-west-2</c>.</param>
    /// <param name="service">The signing name: <c>es</c>, <c>aoss</c>, <c>sns</c>, …</param>
    /// <param name="time">The clock the signature is dated by.</param>
    public SigV4Handler(Func<CancellationToken, ValueTask<AWSCredentials>> credentials, string region, string service, TimeProvider time)
    {
        _credentials = credentials;
        _region = RegionEndpoint.GetBySystemName(region);
        _service = service;
        _time = time;
    }

    public SigV4Handler(AWSCredentials credentials, string region, string service, TimeProvider time)
        : this(_ => ValueTask.FromResult(credentials), region, service, time)
    {
    }

    /// <summary>
    /// Adds the signature headers (<c>Authorization</c>, <c>X-Amz-Date</c>,
    /// <c>x-amz-content-sha256</c>, and with session credentials <c>X-Amz-Security-Token</c>) to <paramref name="request"/>
    /// as it stands: for a caller that sends through an <see cref="HttpClient"/> it did not build.
    /// </summary>
    public async Task SignAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.RequestUri, Content = body };
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            signing.Headers["Content-Type"] = contentType.ToString();
        }

        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = await _credentials(cancellationToken),
            Region = _region,
            Service = _service,
            SignPayload = true,
            SignedAt = _time.GetUtcNow().UtcDateTime,
        }, cancellationToken);
        foreach (var (name, value) in signed.Headers)
        {
            // Content-Type is the content's own header (signed as it is); Host is what HttpClient sends.
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await SignAsync(request, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
