using Jobs.Hosting;
using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.LocalStack;

/// <summary>
/// docker-compose.localstack.yml against the code and the init hook: the services, their images
/// and ports, and environments the hosts read and accept.
/// </summary>
public sealed class ComposeTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load();
    private static readonly Dictionary<string, string> Init = new ShellScript(LocalStackInitTests.ScriptPath).Variables;

    /// <summary>The services that run our hosts, and which.</summary>
    private static readonly IReadOnlyDictionary<string, HostSettings> Hosts = new Dictionary<string, HostSettings>
    {
        ["api"] = HostSettings.Api,
        ["consumer"] = HostSettings.Updates,
    };

    public static TheoryData<string> HostServices() => [.. Hosts.Keys];

    [Fact]
    public void Up_starts_localstack_elasticsearch_the_api_and_the_consumer()
    {
        var byDefault = Compose.Services.Values.Where(s => s.Profiles.Count == 0).Select(s => s.Name).Order();

        Assert.Equal(["api", "consumer", "elasticsearch", "localstack"], byDefault);
        Assert.Equal(["cli"], Compose.Services["jobs"].Profiles);
        Assert.Equal(["ui"], Compose.Services["elasticvue"].Profiles);
    }

    [Fact]
    public void Images_are_the_pinned_localstack_and_a_local_only_single_node_elasticsearch_8()
    {
        Assert.Equal("localstack/localstack:4.14.0", Compose.Services["localstack"].Image);
        var elasticsearch = Compose.Services["elasticsearch"];
        Assert.Equal("docker.elastic.co/elasticsearch/elasticsearch:8.15.3", elasticsearch.Image);
        Assert.Equal("single-node", elasticsearch.Environment["discovery.type"]);
        Assert.Equal("false", elasticsearch.Environment["xpack.security.enabled"]);
    }

    [Fact]
    public void Every_published_port_is_bound_to_loopback()
    {
        foreach (var service in Compose.Services.Values)
        {
            Assert.All(service.Ports, port => Assert.Equal("127.0.0.1", port.HostIp));
        }
    }

    [Fact]
    public void Every_dependency_waits_for_a_health_check_that_exists()
    {
        foreach (var service in Compose.Services.Values)
        {
            foreach (var (dependency, condition) in service.DependsOn)
            {
                Assert.Equal("service_healthy", condition);
                Assert.NotNull(Compose.Services[dependency].Healthcheck);
            }
        }
    }

    [Fact]
    public void Built_services_use_the_repositorys_Dockerfiles_and_run_the_apphost_they_publish()
    {
        foreach (var service in Compose.Services.Values.Where(s => s.Build is not null))
        {
            Assert.Equal(".", service.Build!["context"]);
            var dockerfile = new Dockerfile((string)service.Build["dockerfile"]!);
            Assert.All(dockerfile.ContextSources, source => Assert.True(RepoFiles.Exists(source), $"{dockerfile.RelativePath}: COPY {source} is not in the repository"));

            var project = Assert.Single(dockerfile.PublishedProjects);
            if (Hosts.ContainsKey(service.Name))
            {
                Assert.Equal($"./{RepoFiles.AssemblyNameOf(project)}", Assert.Single(dockerfile.Entrypoint));
            }
        }
    }

    [Theory]
    [MemberData(nameof(HostServices))]
    public void Every_variable_of_a_host_is_read_by_it_or_by_the_platform(string service)
    {
        var environment = Compose.Services[service].Environment;
        var host = Hosts[service];

        var unread = environment.Keys.Where(v => HostSettings.IsJobsVariable(v)
            ? !host.Keys.Contains(HostSettings.KeyOf(v))
            : !PlatformVariables.AspNetCore.ContainsKey(v) && !PlatformVariables.AwsSdkCredentials.ContainsKey(v)).ToList();

        Assert.True(unread.Count == 0, $"{service} sets variables nothing reads: {string.Join(", ", unread)}");
    }

    [Theory]
    [MemberData(nameof(HostServices))]
    public void A_host_accepts_its_settings_and_listens_on_its_published_port(string service)
    {
        var definition = Compose.Services[service];
        var environment = definition.Environment;

        var failures = Hosts[service].Validate(environment);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(definition.ContainerPort, new Uri(environment["ASPNETCORE_URLS"].Replace("+", "localhost", StringComparison.Ordinal)).Port);
    }

    [Theory]
    [MemberData(nameof(HostServices))]
    public void A_host_keeps_its_jobs_in_the_compose_elasticsearch(string service)
    {
        var definition = Compose.Services[service];
        var environment = definition.Environment;
        var url = new Uri(environment["Jobs__Elasticsearch__Url"]);

        Assert.Equal(StoreSelection.Elasticsearch, environment["Jobs__Store"]);
        Assert.Equal("elasticsearch", url.Host);
        Assert.Equal(Compose.Services["elasticsearch"].ContainerPort, url.Port);
        Assert.Equal("0", environment["Jobs__Elasticsearch__NumberOfReplicas"]);
        Assert.Equal("service_healthy", definition.DependsOn["elasticsearch"]);
    }

    [Fact]
    public void The_consumer_polls_the_queue_the_init_hook_creates()
    {
        var consumer = Compose.Services["consumer"];
        var localstack = Compose.Services["localstack"];
        var environment = consumer.Environment;
        var queueUrl = new Uri(environment["Jobs__Updates__QueueUrl"]);
        var serviceUrl = new Uri(environment["Jobs__Updates__ServiceUrl"]);

        Assert.Equal(("localstack", localstack.ContainerPort), (queueUrl.Host, queueUrl.Port));
        Assert.Equal($"/000000000000/{Init["QUEUE_NAME"]}", queueUrl.AbsolutePath);
        Assert.Equal(("localstack", localstack.ContainerPort), (serviceUrl.Host, serviceUrl.Port));
        Assert.Equal(localstack.Environment["AWS_DEFAULT_REGION"], environment["Jobs__Updates__Region"]);
        Assert.Equal("service_healthy", consumer.DependsOn["localstack"]);
    }

    [Fact]
    public void The_api_runs_no_poller_and_needs_no_aws()
    {
        var environment = Compose.Services["api"].Environment;

        Assert.DoesNotContain(environment.Keys, v => v.StartsWith("Jobs__Updates__", StringComparison.Ordinal) || v.StartsWith("AWS_", StringComparison.Ordinal));
    }

    [Fact]
    public void Localstack_runs_sns_and_sqs_and_the_init_hook_and_is_healthy_once_the_hook_is_done()
    {
        var localstack = Compose.Services["localstack"];

        Assert.Equal(["sns", "sqs"], localstack.Environment["SERVICES"].Split(',').Order());
        var mount = Assert.Single(localstack.Volumes).Split(':');
        Assert.Equal($"./{LocalStackInitTests.ScriptPath}", mount[0]);
        Assert.StartsWith("/etc/localstack/init/ready.d/", mount[1], StringComparison.Ordinal);
        Assert.EndsWith(".sh", mount[1], StringComparison.Ordinal);
        var test = ((List<object?>)localstack.Healthcheck!["test"]!).Cast<string>();
        Assert.Equal(["CMD", "test", "-f", Init["READY_MARKER"]], test);
    }

    [Fact]
    public void The_jobs_tool_publishes_to_the_local_topic_with_variables_it_reads()
    {
        var jobs = Compose.Services["jobs"];
        var environment = jobs.Environment;
        var region = Compose.Services["localstack"].Environment["AWS_DEFAULT_REGION"];

        Assert.Empty(environment.Keys.Except(CodeFacts.CliEnvironmentVariables()));
        Assert.Equal($"arn:aws:sns:{region}:000000000000:{Init["TOPIC_NAME"]}", environment["JOBS_TOPIC_ARN"]);
        var endpoint = new Uri(environment["JOBS_AWS_ENDPOINT_URL"]);
        Assert.Equal(("localstack", Compose.Services["localstack"].ContainerPort), (endpoint.Host, endpoint.Port));
        Assert.Equal("src/Jobs.Cli/Dockerfile", jobs.Build!["dockerfile"]);
    }

    [Fact]
    public void Elasticvue_knows_the_cluster_and_the_cluster_lets_elasticvue_in()
    {
        var elasticvue = Compose.Services["elasticvue"];
        var elasticsearch = Compose.Services["elasticsearch"];
        var clusters = System.Text.Json.JsonDocument.Parse(elasticvue.Environment["ELASTICVUE_CLUSTERS"]).RootElement;

        // Elasticvue runs in the browser: it reaches the published ports, not the compose network.
        Assert.Equal($"http://localhost:{Assert.Single(elasticsearch.Ports).HostPort}", clusters[0].GetProperty("uri").GetString());
        Assert.Equal($"http://localhost:{Assert.Single(elasticvue.Ports).HostPort}", elasticsearch.Environment["http.cors.allow-origin"]);
        Assert.Equal("true", elasticsearch.Environment["http.cors.enabled"]);
    }
}
