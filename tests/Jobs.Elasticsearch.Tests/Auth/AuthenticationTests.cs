using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Jobs.Elasticsearch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Elasticsearch.Tests.Auth;

public sealed class AuthenticationTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SessionToken = "IQoJb3JpZ2luX2VjEXAMPLE//session";

    [Fact]
    public async Task Without_credentials_no_authorization_header_is_sent()
    {
        await using var harness = new StoreHarness();
        await StartAndCreateAsync(harness);

        Assert.All(harness.Es.Requests, r => Assert.Null(r.Header("Authorization")));
    }

    [Fact]
    public async Task Basic_authentication_sends_the_user_and_password_on_every_request()
    {
        await using var harness = new StoreHarness(new Dictionary<string, string?> { ["Username"] = "elastic", ["Password"] = "changeme" });
        await StartAndCreateAsync(harness);

        Assert.All(harness.Es.Requests, r => Assert.Equal("Basic ZWxhc3RpYzpjaGFuZ2VtZQ==", r.Header("Authorization")));
    }

    [Fact]
    public async Task An_api_key_is_sent_as_the_ApiKey_scheme_on_every_request()
    {
        const string key = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
        await using var harness = new StoreHarness(new Dictionary<string, string?> { ["ApiKey"] = key });
        await StartAndCreateAsync(harness);

        Assert.All(harness.Es.Requests, r => Assert.Equal("ApiKey " + key, r.Header("Authorization")));
    }

    [Fact]
    public async Task SigV4_signs_every_request_with_well_formed_headers_and_a_signature_that_verifies()
    {
        await using var harness = SigV4Harness();
        await StartAndCreateAsync(harness);

        Assert.Equal(5, harness.Es.Requests.Count);
        Assert.All(harness.Es.Requests, AssertSigned);
        var put = harness.Es.Requests.Single(r => r.Method == "PUT");
        Assert.Contains("content-type", put.Header("Authorization"));
    }

    [Fact]
    public async Task SigV4_signs_the_query_string_of_a_bulk_write()
    {
        await using var harness = SigV4Harness();
        await harness.StartAsync();
        harness.Es.On("POST", "/jobs/_mget", 200, BulkAnswers.Mget(BulkAnswers.FoundDoc(TestJobs.Job("j1"))));
        BulkAnswers.NoEventsKnown(harness.Es);
        harness.Es.On("POST", "/_bulk", request => (200, BulkAnswers.AcceptAll(request.Body!)));

        await harness.Jobs.ApplyAsync([TestJobs.Update("u1", "j1")], CancellationToken.None);

        Assert.All(harness.Es.Requests.Where(r => r.Line == "POST /_bulk?refresh=false"), AssertSigned);
    }

    [Fact]
    public async Task A_retried_request_is_signed_again()
    {
        await using var harness = SigV4Harness();
        await harness.StartAsync();
        harness.Es.OnSequence("GET", "/jobs/_doc/j1", (503, EsAnswers.ServiceUnavailable), (404, EsAnswers.NotFound("jobs-000001", "j1")));

        await harness.Jobs.GetAsync("j1", CancellationToken.None);

        Assert.Equal(2, harness.Es.Requests.Count);
        Assert.All(harness.Es.Requests, AssertSigned);
    }

    /// <summary>Headers present and well formed, and the signature verifies over what the server received.</summary>
    private static void AssertSigned(RecordedRequest request)
    {
        var authorization = request.Header("Authorization")!;
        var match = Regex.Match(authorization,
            "^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-west-2/es/aws4_request, SignedHeaders=(?<signed>[a-z0-9-]+(;[a-z0-9-]+)*), Signature=(?<signature>[0-9a-f]{64})$");
        Assert.True(match.Success, authorization);
        var signed = match.Groups["signed"].Value.Split(';');
        Assert.Subset(signed.ToHashSet(), new HashSet<string> { "host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token" });
        Assert.Equal("20261122T100000Z", request.Header("X-Amz-Date"));
        Assert.Equal(SessionToken, request.Header("X-Amz-Security-Token"));
        Assert.Equal(Hex(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body ?? ""))), request.Header("x-amz-content-sha256"));
        Assert.Equal(ExpectedSignature(request, signed, "us-west-2", "es"), match.Groups["signature"].Value);
    }

    private static StoreHarness SigV4Harness() => new(
        new Dictionary<string, string?> { ["Auth"] = "SigV4", ["AwsRegion"] = "us-west-2" },
        services => services.AddSingleton<AWSCredentials>(new SessionAWSCredentials(AccessKey, SecretKey, SessionToken)));

    /// <summary>Bootstrap (GET / and three mappings) and one create: requests with and without a body.</summary>
    private static async Task StartAndCreateAsync(StoreHarness harness)
    {
        StoreHarness.StubCompatibleCluster(harness.Es);
        harness.Es.On("PUT", "/jobs/_doc/j1", 201, EsAnswers.Created("jobs-000001", "j1"));
        Assert.True(await harness.Jobs.CreateAsync(TestJobs.Job("j1"), CancellationToken.None));
    }

    /// <summary>
    /// An independent SigV4 computation over the request as the server received it: the
    /// canonical request, the string to sign and the derived key (AWS Signature Version 4).
    /// </summary>
    private static string ExpectedSignature(RecordedRequest request, string[] signedHeaders, string region, string service)
    {
        var pathAndQuery = request.PathAndQuery.Split('?', 2);
        var query = pathAndQuery.Length < 2 ? "" : string.Join("&", pathAndQuery[1]
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Key: Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
        var headers = string.Concat(signedHeaders.Select(h => $"{h}:{request.Header(h)!.Trim()}\n"));
        var canonical = string.Join("\n", request.Method, pathAndQuery[0], query, headers, string.Join(";", signedHeaders), request.Header("x-amz-content-sha256"));

        var amzDate = request.Header("X-Amz-Date")!;
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";

        var key = Encoding.UTF8.GetBytes("AWS4" + SecretKey);
        foreach (var part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture);
}
