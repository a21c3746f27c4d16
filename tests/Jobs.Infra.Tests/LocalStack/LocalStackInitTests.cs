using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.LocalStack;

/// <summary>The LocalStack init hook creates what template.yaml creates for a stack named "jobs".</summary>
public sealed class LocalStackInitTests
{
    public const string ScriptPath = "infra/localstack/init-aws.sh";

    private static readonly ShellScript Script = new(ScriptPath);
    private static readonly SamTemplate Template = SamTemplate.Load();
    private static readonly CfnEvaluator Jobs = new(Template, stackName: "jobs");

    [Fact]
    public void Names_are_the_templates_for_a_stack_named_jobs()
    {
        var variables = Script.Variables;

        Assert.Equal(Jobs.GetAtt("UpdatesTopic", "TopicName"), variables["TOPIC_NAME"]);
        Assert.Equal(Jobs.GetAtt("UpdatesQueue", "QueueName"), variables["QUEUE_NAME"]);
        Assert.Equal(Jobs.GetAtt("UpdatesDeadLetterQueue", "QueueName"), variables["DLQ_NAME"]);
    }

    [Fact]
    public void Queue_settings_are_the_templates()
    {
        var variables = Script.Variables;
        var queue = Jobs.Properties("UpdatesQueue");

        Assert.Equal(queue["VisibilityTimeout"], variables["VISIBILITY_TIMEOUT"]);
        Assert.Equal(queue["MessageRetentionPeriod"], variables["MESSAGE_RETENTION"]);
        Assert.Equal(Jobs.Properties("UpdatesDeadLetterQueue")["MessageRetentionPeriod"], variables["DLQ_RETENTION"]);
        Assert.Equal(Jobs.Parameters["MaxReceiveCount"], variables["MAX_RECEIVE_COUNT"]);
    }

    [Fact]
    public void The_queue_redrives_to_the_dead_letter_queue_and_the_topic_delivers_raw_messages_to_the_queue()
    {
        Assert.Contains(@"\""deadLetterTargetArn\"":\""arn:aws:sqs:$region:$account:$DLQ_NAME\""", Script.Text, StringComparison.Ordinal);
        Assert.Contains(@"\""maxReceiveCount\"":\""$MAX_RECEIVE_COUNT\""", Script.Text, StringComparison.Ordinal);
        Assert.Contains("--protocol sqs", Script.Text, StringComparison.Ordinal);
        Assert.Contains("--notification-endpoint \"arn:aws:sqs:$region:$account:$QUEUE_NAME\"", Script.Text, StringComparison.Ordinal);
        Assert.Contains("--attributes RawMessageDelivery=" + Jobs.Properties("UpdatesSubscription")["RawMessageDelivery"], Script.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void It_runs_as_a_hook_and_signals_when_it_is_done()
    {
        Script.AssertRunsAsAStrictShellScript();
        Assert.Contains("touch \"$READY_MARKER\"", Script.Text, StringComparison.Ordinal);
        // The marker comes last: the queue and the subscription exist when the consumer starts.
        Assert.True(Script.Text.IndexOf("touch \"$READY_MARKER\"", StringComparison.Ordinal) > Script.Text.IndexOf("sns subscribe", StringComparison.Ordinal));
    }
}
