using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Jobs.Cli.Tests.Aws;
using Jobs.Core.Dispatch;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Jobs.Dispatch.Tests.Remote;

/// <summary>
/// <c>Jobs:Dispatch:Mode=sns</c> against a loopback receiver standing in for SNS's Query API:
/// a SigV4-signed <c>Publish</c> (signature recomputed independently) whose message is the
/// dispatch payload, then the dispatch marker; a throttled publish is tried again.
/// </summary>
public sealed class SnsDispatchTests : IDisposable
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string TopicArn = "arn:aws:sns:eu-west-1:123456789012:jobs-dispatch";

    private readonly WireMockServer _sns = WireMockServer.Start();

    public void Dispose() => _sns.Stop();

    [Fact]
    public async Task The_job_is_published_as_a_signed_Publish_call_and_marked_dispatched_after_a_throttled_try()
    {
        _sns.Given(Request.Create().WithPath("/").UsingPost()).InScenario("throttle").WillSetStateTo("once")
            .RespondWith(Response.Create().WithStatusCode(400)
                .WithBody("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"));
        _sns.Given(Request.Create().WithPath("/").UsingPost()).InScenario("throttle").WhenStateIs("once")
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithBody("<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>"));
        using var api = new DispatchApi(new Dictionary<string, string?>
        {
            ["Jobs:Dispatch:Mode"] = "sns",
            ["Jobs:Dispatch:TopicArn"] = TopicArn,
            ["Jobs:Dispatch:EndpointUrl"] = _sns.Url + "/",
            ["Jobs:Dispatch:BaseDelay"] = "00:00:00.010",
        }, services => services.AddSingleton<AWSCredentials>(new BasicAWSCredentials("AKIDEXAMPLE", Secret)));
        await api.DeployAsync("""
            {"processDescription": {"id": "batch", "version": "1", "inputs": {}, "outputs": {}},
             "executionUnit": {"type": "application/cwl", "unit": {"cwlVersion": "v1.2", "class": "CommandLineTool", "baseCommand": "true", "inputs": {}, "outputs": {}}}}
            """);

        var created = await api.ExecuteAsync("batch:1", []);
        var jobId = created["jobID"]!.GetValue<string>();
        await api.WaitAsync(jobId, j => j["stage"]?.GetValue<string>() == DispatchUpdates.DispatchedStage);

        Assert.Equal(2, _sns.LogEntries.Count());
        var request = _sns.LogEntries.Last().RequestMessage;
        string Header(string name) => request.Headers!.First(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.Single();
        var body = Encoding.UTF8.GetBytes(request.Body!);
        var authorization = Header("Authorization");
        Assert.Matches("^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/[0-9]{8}/eu-west-1/sns/aws4_request, ", authorization);
        Assert.Equal(SigV4Check.Expected(authorization, Header, "/", body, Secret), SigV4Check.Authorization().Match(authorization).Groups["signature"].Value);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), Header("x-amz-content-sha256"));

        var form = request.Body!.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal("Publish", form["Action"]);
        Assert.Equal(TopicArn, form["TopicArn"]);
        var payload = JsonNode.Parse(form["Message"])!;
        Assert.Equal(jobId, payload["jobID"]!.GetValue<string>());
        Assert.Equal(created["updateToken"]!.GetValue<string>(), payload["updateToken"]!.GetValue<string>());
        Assert.Equal("CommandLineTool", payload["executionUnit"]!["unit"]!["class"]!.GetValue<string>());
        var marker = (await api.HistoryAsync(jobId)).Single(e => e!["source"]!.GetValue<string>() == "dispatch");
        Assert.Equal($"dispatched to SNS topic {TopicArn}", marker!["message"]!.GetValue<string>());
    }
}
