using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.Template;

/// <summary>The alarms watch the right resources and notify when asked; the outputs are what the docs say.</summary>
public sealed class AlarmsAndOutputsTests
{
    private static readonly SamTemplate Template = SamTemplate.Load();

    [Theory]
    [InlineData("DeadLetterQueueAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "UpdatesDeadLetterQueue")]
    [InlineData("UpdatesAgeAlarm", "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "UpdatesQueue")]
    [InlineData("UpdatesErrorsAlarm", "AWS/Lambda", "Errors", "FunctionName", "UpdatesFunction")]
    public void An_alarm_watches_its_resource(string alarm, string metricNamespace, string metric, string dimension, string resource)
    {
        var evaluator = Deployments.Evaluate("cluster without authentication");
        var properties = evaluator.Properties(alarm);
        var expected = dimension == "QueueName" ? evaluator.GetAtt(resource, "QueueName") : evaluator.Ref(resource);

        Assert.Equal(metricNamespace, properties["Namespace"]);
        Assert.Equal(metric, properties["MetricName"]);
        var only = Assert.Single((List<object?>)properties["Dimensions"]!);
        Assert.Equal(new Dictionary<string, object?> { ["Name"] = dimension, ["Value"] = expected }, only);
        Assert.Equal("GreaterThanThreshold", properties["ComparisonOperator"]);
        Assert.Equal("notBreaching", properties["TreatMissingData"]);
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void Every_alarm_notifies_the_alarm_address_when_one_is_given(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);
        var email = evaluator.Parameters["AlarmEmail"];

        foreach (var alarm in Template.OfType("AWS::CloudWatch::Alarm"))
        {
            var actions = evaluator.Properties(alarm).GetValueOrDefault("AlarmActions") as List<object?>;
            Assert.Equal(email.Length > 0 ? [evaluator.Ref("AlarmTopic")] : null, actions?.Cast<string>().ToList());
        }

        if (email.Length > 0)
        {
            var subscription = (Dictionary<string, object?>)Assert.Single((List<object?>)evaluator.Properties("AlarmTopic")["Subscription"]!)!;
            Assert.Equal(new Dictionary<string, object?> { ["Protocol"] = "email", ["Endpoint"] = email }, subscription);
        }
    }

    [Fact]
    public void The_outputs_give_the_api_url_the_topic_the_queues_and_the_policies()
    {
        var evaluator = Deployments.Evaluate("existing Amazon OpenSearch domain, SigV4");
        string Output(string name) => evaluator.String(((Dictionary<string, object?>)Template.Outputs[name]!)["Value"]);

        Assert.Equal($"https://{evaluator.Ref("HttpApi")}.execute-api.{CfnEvaluator.Region}.amazonaws.com", Output("ApiUrl"));
        Assert.Equal(evaluator.Ref("UpdatesTopic"), Output("UpdatesTopicArn"));
        Assert.Equal(evaluator.Ref("UpdatesQueue"), Output("UpdatesQueueUrl"));
        Assert.Equal(evaluator.Ref("UpdatesDeadLetterQueue"), Output("UpdatesDeadLetterQueueUrl"));
        Assert.Equal(evaluator.Ref("WorkerPolicy"), Output("WorkerPolicyArn"));
        Assert.Equal(evaluator.Ref("ConsumerPollerPolicy"), Output("ConsumerPollerPolicyArn"));
        Assert.Equal(evaluator.Parameters["SearchUrl"], Output("SearchEndpoint"));
    }

    [Fact]
    public void The_api_is_served_on_every_path_of_its_http_api()
    {
        var events = SamTemplate.Map(Template.Properties("ApiFunction"), "Events");
        var http = (Dictionary<string, object?>)Assert.Single(events.Values)!;
        var properties = SamTemplate.Map(http, "Properties");

        Assert.Equal("HttpApi", http["Type"]);
        Assert.Equal(new Dictionary<string, object?> { ["Ref"] = "HttpApi" }, properties["ApiId"]);
        // No Path and Method: SAM makes it the $default route, which also serves GET /.
        Assert.False(properties.ContainsKey("Path") || properties.ContainsKey("Method"));
    }
}
