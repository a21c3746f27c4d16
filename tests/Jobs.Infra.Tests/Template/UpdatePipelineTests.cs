using System.Globalization;
using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.Template;

/// <summary>SNS topic -> SQS queue (+ dead-letter queue) -> consumer function, as template.yaml wires it.</summary>
public sealed class UpdatePipelineTests
{
    private static readonly SamTemplate Template = SamTemplate.Load();
    private static readonly CfnEvaluator Deployed = new(Template);

    [Fact]
    public void The_consumer_reads_the_updates_queue_and_reports_partial_batch_failures()
    {
        var consumerEvents = SqsEventsOf("UpdatesFunction");
        var queueEvent = Assert.Single(consumerEvents);

        Assert.Equal(Deployed.GetAtt("UpdatesQueue", "Arn"), Deployed.String(queueEvent["Queue"]));
        Assert.Contains("ReportBatchItemFailures", ((List<object?>)queueEvent["FunctionResponseTypes"]!).Cast<string>());
        Assert.Equal(new Dictionary<string, object?> { ["Ref"] = "UpdatesBatchSize" }, queueEvent["BatchSize"]);
        Assert.Equal(new Dictionary<string, object?> { ["Ref"] = "UpdatesBatchingWindow" }, queueEvent["MaximumBatchingWindowInSeconds"]);

        // No other function takes messages from the updates queue (the notifier reads the events queue only).
        Assert.DoesNotContain(Template.OfType("AWS::Serverless::Function").Where(f => f != "UpdatesFunction").SelectMany(SqsEventsOf),
            e => Deployed.String(e["Queue"]) == Deployed.GetAtt("UpdatesQueue", "Arn"));
    }

    [Fact]
    public void Batch_size_and_window_stay_within_what_Lambda_accepts_without_further_settings()
    {
        // Over 10 messages Lambda requires a batching window of at least 1 s: the parameters keep to 10.
        Assert.Equal("1", Template.Parameters["UpdatesBatchSize"]["MinValue"]);
        Assert.True(Number("UpdatesBatchSize", "MaxValue") <= 10);
        Assert.True(Number("UpdatesBatchingWindow", "MaxValue") <= 300);
        Assert.True(Number("UpdatesMaxConcurrency", "MinValue") >= 2, "Lambda's maximum concurrency for SQS is at least 2");
    }

    [Fact]
    public void The_visibility_timeout_outlasts_six_invocations_and_the_longest_batching_window()
    {
        var consumer = new FunctionView(Deployed, "UpdatesFunction");
        var visibility = int.Parse(Deployed.String(Template.Properties("UpdatesQueue")["VisibilityTimeout"]), CultureInfo.InvariantCulture);

        Assert.True(visibility >= 6 * consumer.Timeout + Number("UpdatesBatchingWindow", "MaxValue"),
            $"VisibilityTimeout {visibility} < 6 x {consumer.Timeout} s + the largest window");
    }

    [Fact]
    public void The_dead_letter_queue_is_the_queues_redrive_target()
    {
        var queue = Deployed.Properties("UpdatesQueue");
        var redrive = (Dictionary<string, object?>)queue["RedrivePolicy"]!;

        Assert.Equal(Deployed.GetAtt("UpdatesDeadLetterQueue", "Arn"), redrive["deadLetterTargetArn"]);
        Assert.Equal(new Dictionary<string, object?> { ["Ref"] = "MaxReceiveCount" },
            ((Dictionary<string, object?>)Template.Properties("UpdatesQueue")["RedrivePolicy"]!)["maxReceiveCount"]);
        Assert.True(Number("MaxReceiveCount", "MinValue") >= 5, "maxReceiveCount below 5 dead-letters messages that were only throttled");

        // The dead letters outlive the queue's own retention, so nothing expires on its way there.
        var dlq = Deployed.Properties("UpdatesDeadLetterQueue");
        Assert.Equal("1209600", dlq["MessageRetentionPeriod"]);
        Assert.True(int.Parse((string)dlq["MessageRetentionPeriod"]!, CultureInfo.InvariantCulture)
            > int.Parse((string)queue["MessageRetentionPeriod"]!, CultureInfo.InvariantCulture));
        Assert.False(dlq.ContainsKey("RedrivePolicy"));
    }

    [Fact]
    public void The_topic_delivers_raw_messages_to_the_queue()
    {
        var subscription = Deployed.Properties(Assert.Single(Template.OfType("AWS::SNS::Subscription")));

        Assert.Equal(Deployed.Ref("UpdatesTopic"), subscription["TopicArn"]);
        Assert.Equal("sqs", subscription["Protocol"]);
        Assert.Equal(Deployed.GetAtt("UpdatesQueue", "Arn"), subscription["Endpoint"]);
        Assert.Equal("true", subscription["RawMessageDelivery"]);
    }

    [Fact]
    public void Only_the_topic_may_send_to_the_queue()
    {
        var policy = Deployed.Properties(Assert.Single(Template.OfType("AWS::SQS::QueuePolicy")));
        var statement = (Dictionary<string, object?>)Assert.Single((List<object?>)((Dictionary<string, object?>)policy["PolicyDocument"]!)["Statement"]!)!;

        Assert.Equal([Deployed.Ref("UpdatesQueue")], ((List<object?>)policy["Queues"]!).Cast<string>());
        Assert.Equal("Allow", statement["Effect"]);
        Assert.Equal("sns.amazonaws.com", ((Dictionary<string, object?>)statement["Principal"]!)["Service"]);
        Assert.Equal("sqs:SendMessage", statement["Action"]);
        Assert.Equal(Deployed.GetAtt("UpdatesQueue", "Arn"), statement["Resource"]);
        var condition = (Dictionary<string, object?>)((Dictionary<string, object?>)statement["Condition"]!)["ArnEquals"]!;
        Assert.Equal(Deployed.Ref("UpdatesTopic"), condition["aws:SourceArn"]);
    }

    [Fact]
    public void Queue_names_follow_the_stack_name()
    {
        Assert.Equal("jobs-updates", Deployed.GetAtt("UpdatesTopic", "TopicName"));
        Assert.Equal("jobs-updates", Deployed.GetAtt("UpdatesQueue", "QueueName"));
        Assert.Equal("jobs-updates-dlq", Deployed.GetAtt("UpdatesDeadLetterQueue", "QueueName"));
    }

    private static List<Dictionary<string, object?>> SqsEventsOf(string function) =>
        SamTemplate.Map(Template.Properties(function), "Events").Values
            .Cast<Dictionary<string, object?>>()
            .Where(e => (string?)e["Type"] == "SQS")
            .Select(e => SamTemplate.Map(e, "Properties"))
            .ToList();

    private static int Number(string parameter, string constraint) =>
        int.Parse((string)Template.Parameters[parameter][constraint]!, CultureInfo.InvariantCulture);
}
