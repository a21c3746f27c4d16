using System.Text;
using Jobs.Cli.Tests.Aws;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Jobs.Cli.Tests.Updates;

/// <summary><c>jobs update --topic-arn</c> against a stand-in SNS endpoint (WireMock.Net).</summary>
public sealed class SnsUpdateTests : IDisposable
{
    private const string Topic = "arn:aws:sns:us-west-2:123456789012:jobs";
    private const string FifoTopic = "arn:aws:sns:us-west-2:123456789012:jobs.fifo";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string PublishOk = """
        <PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>9a8b7c6d-0000-4000-8000-5e4f3a2b1c0d</MessageId></PublishResult><ResponseMetadata><RequestId>1c2d3e4f-aaaa-bbbb-cccc-ddddeeeeffff</RequestId></ResponseMetadata></PublishResponse>
        """;

    private readonly WireMockServer _sns = WireMockServer.Start();

    public void Dispose() => _sns.Stop();

    private Dictionary<string, string?> Environment(string? sessionToken = null) => new()
    {
        ["JOBS_JOB_ID"] = "0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012",
        ["JOBS_UPDATE_TOKEN"] = "Zk9xWcJ3r0mQ2pLw8sT1vA",
        ["JOBS_AWS_ENDPOINT_URL"] = _sns.Url + "/",
        ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = Secret,
        ["AWS_SESSION_TOKEN"] = sessionToken,
    };

    private void Answer(int status, string xml) =>
        _sns.Given(Request.Create().WithPath("/").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/xml").WithBody(xml));

    [Fact]
    public async Task Publishes_the_update_message_as_the_exact_Query_API_form_body()
    {
        Answer(200, PublishOk);

        var result = await CliRun.RunAsync(Environment(), null, "update", "--topic-arn", Topic, "--status", "running", "--update-id", "u-1");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("9a8b7c6d-0000-4000-8000-5e4f3a2b1c0d", result.Out);
        var request = Assert.Single(_sns.LogEntries).RequestMessage;
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", request.Headers!["Content-Type"].Single());
        var form = request.Body!;
        var message = Uri.UnescapeDataString(form.Split('&').Single(p => p.StartsWith("Message=", StringComparison.Ordinal))["Message=".Length..]);
        Assert.Equal(
            "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-west-2%3A123456789012%3Ajobs&Message=" + Uri.EscapeDataString(message),
            form);
        Assert.StartsWith("{\"version\":1,\"id\":\"u-1\",\"job-id\":\"0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012\",\"token\":\"Zk9xWcJ3r0mQ2pLw8sT1vA\",\"time\":\"", message);
        Assert.EndsWith("Z\",\"status\":\"running\"}", message);
    }

    [Fact]
    public async Task The_request_carries_a_well_formed_SigV4_signature_over_exactly_what_was_sent()
    {
        Answer(200, PublishOk);

        await CliRun.RunAsync(Environment(sessionToken: "FwoGZXIvYXdzEXAMPLETOKEN"), null, "update", "--topic-arn", Topic, "--progress", "40");

        var request = Assert.Single(_sns.LogEntries).RequestMessage;
        string Header(string name) => request.Headers!.First(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.Single();
        var authorization = Header("Authorization");
        var m = SigV4Check.Authorization().Match(authorization);
        Assert.True(m.Success, authorization);
        Assert.Equal(("AKIDEXAMPLE", "us-west-2", "sns"), (m.Groups["key"].Value, m.Groups["region"].Value, m.Groups["service"].Value));
        Assert.Equal(DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)[..6], m.Groups["date"].Value[..6]);
        var signed = m.Groups["signed"].Value.Split(';');
        Assert.Subset(signed.ToHashSet(), new HashSet<string> { "content-type", "host", "x-amz-date", "x-amz-security-token" });
        Assert.Equal("FwoGZXIvYXdzEXAMPLETOKEN", Header("X-Amz-Security-Token"));
        Assert.Matches(@"^\d{8}T\d{6}Z$", Header("X-Amz-Date"));
        Assert.Equal(SigV4Check.Expected(authorization, Header, "/", Encoding.UTF8.GetBytes(request.Body!), Secret), m.Groups["signature"].Value);
    }

    [Fact]
    public async Task A_FIFO_topic_gets_the_job_id_as_group_and_the_update_id_as_deduplication_id()
    {
        Answer(200, PublishOk);

        await CliRun.RunAsync(Environment(), null, "update", "--topic-arn", FifoTopic, "--status", "succeeded", "--update-id", "u-9");

        var form = Assert.Single(_sns.LogEntries).RequestMessage.Body!;
        Assert.EndsWith("&MessageGroupId=0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012&MessageDeduplicationId=u-9", form);
    }

    [Fact]
    public async Task An_authorization_error_is_a_permanent_refusal_with_what_to_check()
    {
        Answer(403, """<ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>User is not authorized to perform: SNS:Publish</Message></Error><RequestId>r</RequestId></ErrorResponse>""");

        var result = await CliRun.RunAsync(Environment(), null, "update", "--topic-arn", Topic, "--status", "running");

        Assert.Equal(65, result.ExitCode);
        Assert.Single(_sns.LogEntries);
        Assert.Contains("AuthorizationError", result.Error);
        Assert.Contains("sns:Publish", result.Error);
    }

    [Fact]
    public async Task Throttling_is_retried_and_gives_the_temporary_failure_code_when_it_persists()
    {
        Answer(400, """<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>""");

        var result = await CliRun.RunAsync(Environment(), null, "update", "--topic-arn", Topic, "--status", "running", "--attempts", "3");

        Assert.Equal(75, result.ExitCode);
        Assert.Equal(3, _sns.LogEntries.Count());
        Assert.Equal(2, result.Waits);
        Assert.Contains("NOT delivered", result.Error);
    }

    [Fact]
    public async Task The_topic_may_come_from_Unity_SPS_s_variable()
    {
        Answer(200, PublishOk);
        var environment = Environment();
        environment["JOBS_DATA_SNS_TOPIC_ARN"] = Topic;

        var result = await CliRun.RunAsync(environment, null, "update", "--status", "running");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("TopicArn=arn%3Aaws%3Asns%3Aus-west-2%3A123456789012%3Ajobs&", Assert.Single(_sns.LogEntries).RequestMessage.Body);
    }
}
