using Amazon.Runtime;
using Amazon.SQS;
using Testcontainers.LocalStack;

namespace Jobs.Functions.Tests.Polling;

/// <summary>
/// LocalStack for the AWS round trips: the endpoint in <c>JOBS_TEST_AWS_ENDPOINT</c>, else a
/// container (<c>localstack/localstack:4.14.0</c>, the last tag that starts without an auth token)
/// when Docker is reachable. Otherwise <see cref="SkipReason"/> says why the tests cannot run.
/// </summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    public const string Image = "localstack/localstack:4.14.0";
    public const string Region = "us-east-1";
    private LocalStackContainer? _container;

    public string? Endpoint { get; private set; }

    public string? SkipReason { get; private set; }

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("test", "test");

    public IAmazonSQS Sqs() => new AmazonSQSClient(Credentials, new AmazonSQSConfig { ServiceURL = Endpoint, AuthenticationRegion = Region });

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("JOBS_TEST_AWS_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Endpoint = configured.TrimEnd('/');
            return;
        }

        if (!DockerReachable())
        {
            SkipReason = "needs LocalStack: set JOBS_TEST_AWS_ENDPOINT=http://localhost:4566 or make a Docker engine reachable (none here: no DOCKER_HOST, no /var/run/docker.sock)";
            return;
        }

        try
        {
            _container = new LocalStackBuilder(Image).WithEnvironment("SERVICES", "sqs,sns").Build();
            await _container.StartAsync();
            Endpoint = _container.GetConnectionString().TrimEnd('/');
        }
        catch (Exception e)
        {
            SkipReason = $"needs LocalStack: Docker is configured but {Image} did not start ({e.GetType().Name}: {e.Message})";
        }
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private static bool DockerReachable() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");
}
