using System.Globalization;
using Jobs.Api.Notifications;
using Jobs.Aws.Events;
using Jobs.Infra.Tests.Support;
using Jobs.Notifications;

namespace Jobs.Infra.Tests.Template;

/// <summary>
/// Job events out on AWS as template.yaml wires them: every writer publishes to the events queue
/// (FIFO, + dead-letter queue), the notifier function reads it and a minute's schedule, on the one
/// path its host maps in the notifier role, and no public host has that role.
/// </summary>
public sealed class EventsPipelineTests
{
    private static readonly SamTemplate Template = SamTemplate.Load();
    private static readonly CfnEvaluator Deployed = new(Template);

    [Fact]
    public void Every_function_publishes_the_events_of_the_jobs_it_writes_to_the_events_queue()
    {
        foreach (var function in FunctionView.Hosts.Keys)
        {
            var environment = new FunctionView(Deployed, function).Environment;
            var url = environment["Jobs__Events__QueueUrl"];

            Assert.Equal(Deployed.Ref("EventsQueue"), url);
            Assert.Equal(Deployed.Ref("EventsQueue"), HostSettings.Bind<EventsQueueOptions>(environment).QueueUrl);
        }
    }

    [Fact]
    public void A_queue_that_is_not_fifo_would_stop_the_hosts_at_start()
    {
        foreach (var function in FunctionView.Hosts.Keys)
        {
            var view = new FunctionView(Deployed, function);
            var environment = view.Environment;
            environment["Jobs__Events__QueueUrl"] = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-events";

            Assert.Contains(view.Host.Validate(environment), f => f.Contains("FIFO", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_events_queue_is_fifo_deduplicated_by_the_publisher_and_dead_letters_to_a_fifo_queue()
    {
        var queue = Deployed.Properties("EventsQueue");
        var dlq = Deployed.Properties("EventsDeadLetterQueue");

        Assert.Equal("true", queue["FifoQueue"]?.ToString()?.ToLowerInvariant());
        Assert.Equal("false", queue["ContentBasedDeduplication"]?.ToString()?.ToLowerInvariant());
        Assert.EndsWith(".fifo", Deployed.GetAtt("EventsQueue", "QueueName"), StringComparison.Ordinal);
        Assert.Equal("true", dlq["FifoQueue"]?.ToString()?.ToLowerInvariant());
        Assert.EndsWith(".fifo", Deployed.GetAtt("EventsDeadLetterQueue", "QueueName"), StringComparison.Ordinal);
        var redrive = (Dictionary<string, object?>)queue["RedrivePolicy"]!;
        Assert.Equal(Deployed.GetAtt("EventsDeadLetterQueue", "Arn"), redrive["deadLetterTargetArn"]);
        Assert.Equal(new Dictionary<string, object?> { ["Ref"] = "MaxReceiveCount" },
            ((Dictionary<string, object?>)Template.Properties("EventsQueue")["RedrivePolicy"]!)["maxReceiveCount"]);
        Assert.True(int.Parse((string)dlq["MessageRetentionPeriod"]!, CultureInfo.InvariantCulture)
            > int.Parse((string)queue["MessageRetentionPeriod"]!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_notifier_reads_the_events_queue_with_partial_batch_failures_and_runs_every_minute()
    {
        var notifier = new FunctionView(Deployed, "NotifierFunction");
        var events = notifier.Events.Values.Cast<Dictionary<string, object?>>().ToList();

        var sqs = SamTemplate.Map(Assert.Single(events, e => (string?)e["Type"] == "SQS"), "Properties");
        Assert.Equal(Deployed.GetAtt("EventsQueue", "Arn"), Deployed.String(sqs["Queue"]));
        Assert.Contains("ReportBatchItemFailures", ((List<object?>)sqs["FunctionResponseTypes"]!).Cast<string>());
        Assert.True(int.Parse(Deployed.String(sqs["BatchSize"]), CultureInfo.InvariantCulture) <= 10, "a FIFO event source takes at most 10 messages a batch");
        var schedule = SamTemplate.Map(Assert.Single(events, e => (string?)e["Type"] == "Schedule"), "Properties");
        Assert.Equal("rate(1 minute)", schedule["Schedule"]);
        Assert.DoesNotContain(events, e => (string?)e["Type"] == "HttpApi");

        var visibility = int.Parse(Deployed.String(Template.Properties("EventsQueue")["VisibilityTimeout"]), CultureInfo.InvariantCulture);
        Assert.True(visibility >= 6 * notifier.Timeout, $"VisibilityTimeout {visibility} < 6 x {notifier.Timeout} s");
    }

    [Fact]
    public void The_adapter_posts_the_notifiers_invocations_to_the_path_its_role_maps_and_a_crash_fails_the_invoke()
    {
        var notifier = new FunctionView(Deployed, "NotifierFunction");
        var environment = notifier.Environment;

        Assert.Equal("Jobs.Api", notifier.Handler);
        Assert.Equal(NotifierEndpoints.Path, environment["AWS_LWA_PASS_THROUGH_PATH"]);
        Assert.Equal("500-599", environment["AWS_LWA_ERROR_STATUS_CODES"]);
        Assert.True(HostSettings.Bind<NotificationOptions>(environment).Notifier);
    }

    [Fact]
    public void Only_the_notifier_has_the_notifier_role()
    {
        foreach (var function in FunctionView.Hosts.Keys.Where(f => f != "NotifierFunction"))
        {
            var environment = new FunctionView(Deployed, function).Environment;
            Assert.False(HostSettings.Bind<NotificationOptions>(environment).Notifier, $"{function} would take events posted by anyone");
        }
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void The_notifier_settings_follow_the_parameters(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);
        var environment = new FunctionView(evaluator, "NotifierFunction").Environment;
        var options = HostSettings.Bind<NotificationOptions>(environment);
        var stalled = HostSettings.Bind<StalledOptions>(environment);

        Assert.Equal(TimeSpan.Parse(evaluator.Parameters["StalledAfter"], CultureInfo.InvariantCulture), stalled.After);
        Assert.Null(stalled.FailAfter);
        Assert.Null(options.Smtp.Host);
        var baseUrl = evaluator.Parameters["ApiPublicBaseUrl"];
        Assert.Equal(baseUrl.Length > 0 ? baseUrl : $"https://{evaluator.Ref("HttpApi")}.execute-api.{CfnEvaluator.Region}.amazonaws.com", environment["Jobs__Api__PublicBaseUrl"]);
    }
}
