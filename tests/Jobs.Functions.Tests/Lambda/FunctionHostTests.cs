using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Jobs.Functions.Tests.TestMessages;

namespace Jobs.Functions.Tests.Lambda;

/// <summary>The function's own host (Program: AddJobStore, AddUpdateConsumer, MapEvents) on the embedded store.</summary>
public sealed class FunctionHostTests : IClassFixture<FunctionHostTests.FunctionFactory>
{
    private const string JobA = "0193a5b2-7c1e-7d3f-9a4b-5c6d7e8f9012";
    private const string Poison = "d9a8f0e1-3c2b-4a5d-9e8f-7a6b5c4d3e2f";
    private readonly FunctionFactory _factory;

    public FunctionHostTests(FunctionFactory factory) => _factory = factory;

    public sealed class FunctionFactory : WebApplicationFactory<Program>
    {
        private readonly string _data = Path.Combine(Path.GetTempPath(), "jobs-function-tests", Guid.NewGuid().ToString("N"));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Jobs:Store", "embedded");
            builder.UseSetting("Jobs:Embedded:DataPath", _data);
            builder.UseSetting("Jobs:Updates:AcceptLegacy", "true");
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                Jobs.Tests.Shared.DataDirectories.DeleteQuietly(_data);
            }
        }
    }

    [Fact]
    public async Task A_recorded_SQS_event_is_stored_in_the_embedded_store_and_only_the_poison_message_returns()
    {
        var client = _factory.CreateClient();
        var store = _factory.Services.GetRequiredService<IJobStore>();
        Assert.True(await store.CreateAsync(Job(JobA), CancellationToken.None));

        var response = await client.PostAsync("/events", new StringContent(Fixture("sqs-event.json"), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var failures = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["batchItemFailures"]!.AsArray();
        Assert.Equal([Poison], failures.Select(f => f!["itemIdentifier"]!.GetValue<string>()));
        var job = await store.GetAsync(JobA, CancellationToken.None);
        Assert.Equal(JobStatus.Succeeded, job!.Status);
        Assert.Equal("s3://bucket/out/granule.nc", job.Outputs["output"].GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }
}
