using Jobs.Aws;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Jobs.Cli.Tests.Aws;

/// <summary>The SNS client signs with the one SigV4 handler, dated by the clock it is given.</summary>
public sealed class SnsPublishClientTests : IDisposable
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private readonly WireMockServer _sns = WireMockServer.Start();

    public void Dispose() => _sns.Stop();

    [Fact]
    public async Task The_signature_is_dated_by_the_injected_clock_and_verifies_over_what_was_sent()
    {
        _sns.Given(Request.Create().WithPath("/").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        using var http = new HttpClient();
        var client = new SnsPublishClient(http, new Uri(_sns.Url + "/"), "us-west-2", new BasicAWSCredentials("AKIDEXAMPLE", Secret), clock);

        Assert.Equal("m-1", await client.PublishAsync(new SnsPublishRequest("arn:aws:sns:us-west-2:123456789012:jobs", "{}"), CancellationToken.None));

        var request = Assert.Single(_sns.LogEntries).RequestMessage;
        string Header(string name) => request.Headers!.First(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.Single();
        Assert.Equal("20261122T100000Z", Header("X-Amz-Date"));
        var authorization = Header("Authorization");
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-west-2/sns/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=", authorization);
        Assert.Equal(SigV4Check.Expected(authorization, Header, "/", Encoding.UTF8.GetBytes(request.Body!), Secret), SigV4Check.Authorization().Match(authorization).Groups["signature"].Value);
    }
}
