using System.Net;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Aws.Tests;

/// <summary>
/// The handler's signatures for the requests of AWS's published Signature Version 4 examples (the
/// example credentials <c>AKIDEXAMPLE</c>, 2015-08-30 12:36:00 UTC on a fake clock): each exact
/// <c>Authorization</c> header, which is also what <see cref="SigV4Reference"/> (checked against
/// AWS's own signatures) computes over the headers sent.
/// </summary>
public sealed class SigV4HandlerTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_IAM_ListUsers_example_request_gets_the_exact_signature_of_the_documented_algorithm()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")
        {
            Content = new ByteArrayContent([]),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");

        var sent = await SendAsync(request, "us-east-1", "iam");

        // The handler also signs x-amz-content-sha256 (here the hash of the empty body), so the
        // documented signature changes with it; the reference computes it with that header.
        Assert.Equal("20150830T123600Z", Single(sent, "X-Amz-Date"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Single(sent, "x-amz-content-sha256"));
        Assert.Equal(Reference(sent, "us-east-1", "iam", []), Single(sent, "Authorization"));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=dd479fa8a80364edf2119ec24bebde66712ee9c9cb2b0d92eb3ab9ccdc0c3947",
            Single(sent, "Authorization"));
    }

    [Theory]
    [InlineData("GET", "726c5c4879a6b4ccbbd3b24edbd6b8826d34f87450fbbf4e85546fc7ba9c1642")]
    [InlineData("POST", "3ad5e249949a59b862eedd9f1bf1ece4693c3042bf860ef5e3351b8925316f98")]
    public async Task The_vanilla_test_requests_get_the_exact_signature_of_the_documented_algorithm(string method, string signature)
    {
        var sent = await SendAsync(new HttpRequestMessage(new HttpMethod(method), "https://example.amazonaws.com/"), "us-east-1", "service");

        Assert.Equal(Reference(sent, "us-east-1", "service", []), Single(sent, "Authorization"));
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}",
            Single(sent, "Authorization"));
    }

    [Fact]
    public async Task A_body_is_hashed_into_x_amz_content_sha256_and_signed()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://search-jobs-abc.us-west-2.es.amazonaws.com/jobs/_search")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };

        var sent = await SendAsync(request, "us-west-2", "es");

        // SHA-256 of "{}".
        Assert.Equal("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", Single(sent, "x-amz-content-sha256"));
        Assert.Equal(Reference(sent, "us-west-2", "es", "{}"u8.ToArray()), Single(sent, "Authorization"));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/es/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=9f7f39a5f608c8f7e9e32d47e5cab946961285ea70b7cea4fa06b45e2fc016e0",
            Single(sent, "Authorization"));
        Assert.Equal("{}", await sent.Content!.ReadAsStringAsync()); // the body still goes out after hashing
    }

    [Fact]
    public async Task Each_send_is_dated_by_the_injected_clock_at_that_moment()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        var recorder = new Recorder();
        using var invoker = new HttpMessageInvoker(new SigV4Handler(new BasicAWSCredentials(AccessKey, SecretKey), "us-west-2", "es", clock) { InnerHandler = recorder });

        await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/"), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5));
        await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/"), CancellationToken.None);

        Assert.Equal(["20261122T100000Z", "20261122T100500Z"], recorder.Sent.Select(r => Single(r, "X-Amz-Date")));
    }

    [Fact]
    public async Task Session_credentials_add_the_security_token_and_sign_it()
    {
        var recorder = new Recorder();
        using var invoker = new HttpMessageInvoker(new SigV4Handler(new SessionAWSCredentials(AccessKey, SecretKey, "IQoJb3JpZ2luX2VjEXAMPLE"), "us-east-1", "sns", Clock) { InnerHandler = recorder });

        await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "https://sns.us-east-1.amazonaws.com/"), CancellationToken.None);

        var sent = Assert.Single(recorder.Sent);
        Assert.Equal("IQoJb3JpZ2luX2VjEXAMPLE", Single(sent, "X-Amz-Security-Token"));
        Assert.Contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,", Single(sent, "Authorization"));
    }

    private static async Task<HttpRequestMessage> SendAsync(HttpRequestMessage request, string region, string service)
    {
        var recorder = new Recorder();
        using var invoker = new HttpMessageInvoker(new SigV4Handler(new BasicAWSCredentials(AccessKey, SecretKey), region, service, Clock) { InnerHandler = recorder });
        await invoker.SendAsync(request, CancellationToken.None);
        return Assert.Single(recorder.Sent);
    }

    /// <summary>The reference signature over what the handler sent: every header it names as signed, as sent.</summary>
    private static string Reference(HttpRequestMessage sent, string region, string service, byte[] body)
    {
        var authorization = Single(sent, "Authorization");
        var signed = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var headers = signed.ToDictionary(h => h, h => h switch
        {
            "host" => sent.RequestUri!.Host,
            "content-type" => sent.Content!.Headers.ContentType!.ToString(),
            _ => Single(sent, h),
        });
        return SigV4Reference.Authorization(
            sent.Method.Method, sent.RequestUri!.AbsolutePath, sent.RequestUri.Query.TrimStart('?'), headers, body,
            AccessKey, SecretKey, region, service, Single(sent, "X-Amz-Date"));
    }

    private static string Single(HttpRequestMessage request, string header) => Assert.Single(request.Headers.GetValues(header));

    /// <summary>The end of the chain: keeps what reached it, answers 200.</summary>
    private sealed class Recorder : HttpMessageHandler
    {
        public List<HttpRequestMessage> Sent { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
