using Jobs.Elasticsearch;
using Jobs.Hosting;
using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.Template;

/// <summary>
/// The functions' environment against the hosts' code: every variable set is read by someone,
/// and what the template sets is a configuration the host accepts at start, for every way of
/// reaching the cluster.
/// </summary>
public sealed class FunctionSettingsTests
{
    private static readonly SamTemplate Template = SamTemplate.Load();

    [Fact]
    public void Every_function_runs_a_host_these_tests_know()
    {
        Assert.Equal(FunctionView.Hosts.Keys.Order(), Template.OfType("AWS::Serverless::Function").Order());
    }

    [Theory]
    [MemberData(nameof(FunctionView.EveryFunctionInEveryDeployment), MemberType = typeof(FunctionView))]
    public void Every_variable_set_is_read_by_the_host_the_runtime_or_the_adapter(string function, string deployment)
    {
        var view = new FunctionView(Deployments.Evaluate(deployment), function);

        var unread = view.Environment.Keys
            .Where(v => HostSettings.IsJobsVariable(v)
                ? !view.Host.Keys.Contains(HostSettings.KeyOf(v))
                : !PlatformVariables.AspNetCore.ContainsKey(v) && !PlatformVariables.Lambda.ContainsKey(v))
            .ToList();

        Assert.True(unread.Count == 0, $"{function} sets variables nothing reads: {string.Join(", ", unread)} (known keys: {string.Join(", ", view.Host.Keys.Order())})");
        Assert.DoesNotContain(view.Environment.Keys, PlatformVariables.LambdaReserved.Contains);
    }

    [Theory]
    [MemberData(nameof(FunctionView.EveryFunctionInEveryDeployment), MemberType = typeof(FunctionView))]
    public void The_host_accepts_the_settings_at_start(string function, string deployment)
    {
        var view = new FunctionView(Deployments.Evaluate(deployment), function);

        var failures = view.Host.Validate(view.Environment);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(FunctionView.EveryFunctionInEveryDeployment), MemberType = typeof(FunctionView))]
    public void The_jobs_live_in_the_deployments_cluster_with_its_authentication(string function, string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);
        var environment = new FunctionView(evaluator, function).Environment;
        var parameters = evaluator.Parameters;

        // Lambda's disk is temporary: never the embedded store.
        Assert.Equal(StoreSelection.Elasticsearch, environment[Variable(StoreSelection.Key)]);
        var url = new Uri(environment["Jobs__Elasticsearch__Url"]);
        if (parameters["CreateSearchDomain"] == "true")
        {
            Assert.Equal($"https://{evaluator.GetAtt("SearchDomain", "DomainEndpoint")}", url.GetLeftPart(UriPartial.Authority));
        }
        else
        {
            Assert.Equal(parameters["SearchUrl"], environment["Jobs__Elasticsearch__Url"]);
        }

        Assert.Equal(parameters["SearchAuth"], environment["Jobs__Elasticsearch__Auth"]);
        Assert.Equal(parameters["SearchAuth"] == "SigV4" ? CfnEvaluator.Region : null, environment.GetValueOrDefault("Jobs__Elasticsearch__AwsRegion"));
        Assert.Equal(parameters["SearchAuth"] == "Basic", environment.ContainsKey("Jobs__Elasticsearch__Password"));
        Assert.Equal(parameters["SearchAuth"] == "ApiKey", environment.ContainsKey("Jobs__Elasticsearch__ApiKey"));
        Assert.Equal(parameters["SearchIndexPrefix"].Length > 0 ? parameters["SearchIndexPrefix"] : null, environment.GetValueOrDefault("Jobs__Elasticsearch__IndexPrefix"));
    }

    [Theory]
    [MemberData(nameof(FunctionView.EveryFunctionInEveryDeployment), MemberType = typeof(FunctionView))]
    public void A_hung_cluster_fails_a_call_before_the_function_or_the_http_api_gives_up(string function, string deployment)
    {
        var view = new FunctionView(Deployments.Evaluate(deployment), function);
        var options = HostSettings.Bind<ElasticsearchOptions>(view.Environment);

        // Every attempt times out, with exponential backoff between them (doubled: jitter can lengthen a delay).
        var backoff = Enumerable.Range(0, options.MaxRetries).Select(i => options.RetryDelay * Math.Pow(2, i) * 2).Aggregate(TimeSpan.Zero, (a, b) => a + b);
        var worst = options.RequestTimeout * (options.MaxRetries + 1) + backoff;
        var limit = TimeSpan.FromSeconds(view.Timeout);
        if (view.Events.Values.Cast<Dictionary<string, object?>>().Any(e => (string?)e["Type"] == "HttpApi"))
        {
            limit = TimeSpan.FromSeconds(Math.Min(view.Timeout, 30)); // the HTTP API's integration timeout
        }

        Assert.True(worst < limit, $"{function}: a hung cluster takes up to {worst.TotalSeconds} s, the limit is {limit.TotalSeconds} s");
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void The_consumer_gives_up_on_a_hung_cluster_before_its_timeout(string deployment)
    {
        var view = new FunctionView(Deployments.Evaluate(deployment), "UpdatesFunction");
        var options = HostSettings.Bind<ElasticsearchOptions>(view.Environment);

        // A batch makes two requests (read the jobs, write them); each may use every attempt.
        var backoff = Enumerable.Range(0, options.MaxRetries).Select(i => options.RetryDelay * Math.Pow(2, i) * 2).Aggregate(TimeSpan.Zero, (a, b) => a + b);
        var batch = (options.RequestTimeout * (options.MaxRetries + 1) + backoff) * 2;

        Assert.True(batch < TimeSpan.FromSeconds(view.Timeout), $"a batch against a hung cluster takes up to {batch.TotalSeconds} s, the timeout is {view.Timeout} s");
    }

    [Fact]
    public void A_missing_cluster_url_would_stop_the_hosts_at_start()
    {
        // The validation above is the hosts' own: without the URL they refuse to start.
        foreach (var function in FunctionView.Hosts.Keys)
        {
            var view = new FunctionView(Deployments.Evaluate("cluster without authentication"), function);
            var environment = view.Environment;
            environment.Remove("Jobs__Elasticsearch__Url");

            Assert.Contains(view.Host.Validate(environment), f => f.Contains("Jobs__Elasticsearch__Url", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void The_consumer_settings_follow_the_parameters_and_never_start_a_poller_inside_Lambda(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);
        var environment = new FunctionView(evaluator, "UpdatesFunction").Environment;

        Assert.Equal(evaluator.Parameters["AcceptLegacyUpdates"], environment["Jobs__Updates__AcceptLegacy"]);
        // With a queue URL the host would also long-poll the queue the event source mapping feeds it from.
        Assert.DoesNotContain(environment.Keys, v => HostSettings.KeyOf(v).Equals("Jobs:Updates:QueueUrl", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void The_api_settings_follow_the_parameters(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);
        var environment = new FunctionView(evaluator, "ApiFunction").Environment;

        Assert.Equal(evaluator.Parameters["ApiCorsOrigins"], environment["Jobs__Api__CorsOrigins"]);
        var baseUrl = evaluator.Parameters["ApiPublicBaseUrl"];
        Assert.Equal(baseUrl.Length > 0 ? baseUrl : null, environment.GetValueOrDefault("Jobs__Api__PublicBaseUrl"));
        Assert.Equal("true", environment["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]);
    }

    [Theory]
    [MemberData(nameof(FunctionView.EveryFunctionInEveryDeployment), MemberType = typeof(FunctionView))]
    public void The_adapter_finds_the_application_on_loopback_at_its_port(string function, string deployment)
    {
        var view = new FunctionView(Deployments.Evaluate(deployment), function);
        var environment = view.Environment;

        Assert.Equal("dotnet10", view.Properties["Runtime"]);
        Assert.Equal("/opt/bootstrap", environment["AWS_LAMBDA_EXEC_WRAPPER"]);
        var layer = Assert.Single((List<object?>)view.Properties["Layers"]!);
        Assert.Matches(@"^arn:aws:lambda:us-east-1:753240598075:layer:LambdaAdapterLayerX86:\d+$", (string)layer!);
        Assert.Equal(["x86_64"], ((List<object?>)view.Properties["Architectures"]!).Cast<string>());

        var url = new Uri(environment["ASPNETCORE_URLS"]);
        Assert.True(url.IsLoopback, "the adapter calls the application on 127.0.0.1");
        Assert.Equal(environment["AWS_LWA_PORT"], url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("/", environment["AWS_LWA_READINESS_CHECK_PATH"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_consumer_answers_every_sqs_event_and_a_crash_fails_the_invoke()
    {
        var environment = new FunctionView(Deployments.Evaluate("cluster without authentication"), "UpdatesFunction").Environment;

        Assert.StartsWith("/", environment["AWS_LWA_PASS_THROUGH_PATH"], StringComparison.Ordinal);
        // Without it a 500 (problem details) would be read as a batch with no failures: deleted unprocessed.
        Assert.Equal("500-599", environment["AWS_LWA_ERROR_STATUS_CODES"]);
        // The API must pass its 5xx answers to clients instead.
        Assert.DoesNotContain("AWS_LWA_ERROR_STATUS_CODES", new FunctionView(Deployments.Evaluate("cluster without authentication"), "ApiFunction").Environment.Keys);
    }

    [Fact]
    public void Each_function_logs_to_its_own_log_group_with_a_retention()
    {
        var evaluator = Deployments.Evaluate("cluster without authentication");
        foreach (var function in FunctionView.Hosts.Keys)
        {
            var view = new FunctionView(evaluator, function);
            var logGroup = (string)((Dictionary<string, object?>)view.Properties["LoggingConfig"]!)["LogGroup"]!;
            var group = Assert.Single(Template.OfType("AWS::Logs::LogGroup"), id => evaluator.Ref(id) == logGroup);

            Assert.Equal(evaluator.Ref("LogRetentionInDays"), evaluator.Properties(group)["RetentionInDays"]);
        }
    }

    private static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
