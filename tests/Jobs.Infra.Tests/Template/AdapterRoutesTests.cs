extern alias updates;

using System.Net;
using System.Text.Json.Nodes;
using Jobs.Infra.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jobs.Infra.Tests.Template;

/// <summary>
/// The paths template.yaml gives the Lambda Web Adapter exist in the real hosts (their Program,
/// on the embedded store in a temporary folder): the readiness check and the SQS pass-through.
/// </summary>
public sealed class AdapterRoutesTests
{
    private static readonly CfnEvaluator Deployed = Deployments.Evaluate("cluster without authentication");

    [Fact]
    public async Task The_api_answers_the_readiness_check_while_the_cluster_is_away()
    {
        var environment = new FunctionView(Deployed, "ApiFunction").Environment;
        using var host = new Host<Program>();

        var response = await host.CreateClient().GetAsync(environment["AWS_LWA_READINESS_CHECK_PATH"]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_consumer_answers_the_readiness_check()
    {
        var environment = new FunctionView(Deployed, "UpdatesFunction").Environment;
        using var host = new Host<updates::Program>();

        var response = await host.CreateClient().GetAsync(environment["AWS_LWA_READINESS_CHECK_PATH"]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_consumer_takes_sqs_events_at_the_pass_through_path_and_answers_with_batch_item_failures()
    {
        var environment = new FunctionView(Deployed, "UpdatesFunction").Environment;
        using var host = new Host<updates::Program>();
        var client = host.CreateClient();
        const string Event = """
            {"Records":[{"messageId":"m-1","receiptHandle":"r","body":"not an update","attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1718000000000"},
              "messageAttributes":{},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:jobs-updates","awsRegion":"us-east-1"}]}
            """;

        var response = await client.PostAsync(environment["AWS_LWA_PASS_THROUGH_PATH"], new StringContent(Event, System.Text.Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // A JSON content type and body: the adapter hands it to Lambda as the function's result.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("m-1", body["batchItemFailures"]![0]!["itemIdentifier"]!.GetValue<string>());

        // An event it cannot read fails the invoke through AWS_LWA_ERROR_STATUS_CODES.
        var unreadable = await client.PostAsync(environment["AWS_LWA_PASS_THROUGH_PATH"], new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(ErrorStatuses(environment["AWS_LWA_ERROR_STATUS_CODES"]).Contains((int)unreadable.StatusCode), $"{(int)unreadable.StatusCode} does not fail the invoke");
    }

    private static HashSet<int> ErrorStatuses(string ranges) =>
        ranges.Split(',').SelectMany(r => r.Split('-') is [var from, var to]
            ? Enumerable.Range(int.Parse(from, System.Globalization.CultureInfo.InvariantCulture), int.Parse(to, System.Globalization.CultureInfo.InvariantCulture) - int.Parse(from, System.Globalization.CultureInfo.InvariantCulture) + 1)
            : [int.Parse(r, System.Globalization.CultureInfo.InvariantCulture)]).ToHashSet();

    /// <summary>A host on the embedded store in its own temporary folder.</summary>
    private sealed class Host<TEntryPoint> : WebApplicationFactory<TEntryPoint>
        where TEntryPoint : class
    {
        private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "jobs-infra-tests", Guid.NewGuid().ToString("N"));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Jobs:Store", "embedded");
            builder.UseSetting("Jobs:Embedded:DataPath", _dataPath);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing && Directory.Exists(_dataPath))
            {
                Directory.Delete(_dataPath, recursive: true);
            }
        }
    }
}
