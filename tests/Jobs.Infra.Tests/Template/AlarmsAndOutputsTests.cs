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
    [InlineData("EventsDeadLetterQueueAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "EventsDeadLetterQueue")]
    [InlineData("NotifierErrorsAlarm", "AWS/Lambda", "Errors", "FunctionName", "NotifierFunction")]
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

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void Dead_letters_notify_again_when_more_arrive_and_when_the_queue_is_empty(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);
        var waiting = evaluator.Properties("DeadLetterQueueAlarm");
        var arrivals = evaluator.Properties("DeadLetterQueueArrivalsAlarm");

        // Without OK actions the alarm says nothing when the queue is drained, so the next poison
        // message finds it already in ALARM and notifies nobody.
        Assert.Equal(waiting.GetValueOrDefault("AlarmActions"), waiting.GetValueOrDefault("OKActions"));

        // Each period with new dead letters alarms again, even while older ones wait.
        var metrics = ((List<object?>)arrivals["Metrics"]!).Cast<Dictionary<string, object?>>().ToList();
        var expression = Assert.Single(metrics, m => m.ContainsKey("Expression"));
        var input = Assert.Single(metrics, m => m.ContainsKey("MetricStat"));
        Assert.Equal($"DIFF({input["Id"]})", expression["Expression"]);
        Assert.Equal("true", expression["ReturnData"]?.ToString()?.ToLowerInvariant());
        var metric = SamTemplate.Map(SamTemplate.Map(input, "MetricStat"), "Metric");
        Assert.Equal("ApproximateNumberOfMessagesVisible", metric["MetricName"]);
        var dimension = (Dictionary<string, object?>)Assert.Single((List<object?>)metric["Dimensions"]!)!;
        Assert.Equal(evaluator.GetAtt("UpdatesDeadLetterQueue", "QueueName"), dimension["Value"]);
        Assert.Equal("GreaterThanThreshold", arrivals["ComparisonOperator"]);
        Assert.Equal(0, Convert.ToInt32(arrivals["Threshold"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_docs_give_the_time_a_poison_message_takes_to_reach_the_dead_letter_queue()
    {
        var evaluator = Deployments.Evaluate("cluster without authentication");
        var visibility = Convert.ToInt32(evaluator.Properties("UpdatesQueue")["VisibilityTimeout"], System.Globalization.CultureInfo.InvariantCulture);
        var receives = int.Parse(evaluator.Parameters["MaxReceiveCount"], System.Globalization.CultureInfo.InvariantCulture);

        // A failed message comes back after the visibility timeout (Lambda does not shorten it):
        // the last attempt starts (receives - 1) timeouts after the first, and the message moves
        // to the dead-letter queue when that attempt's timeout ends.
        var lastAttempt = Math.Round((receives - 1) * visibility / 60.0);
        var arrival = Math.Round(receives * visibility / 60.0);
        var docs = RepoFiles.ReadText("docs/deployment.md");

        Assert.Contains($"about {lastAttempt} minutes", docs, StringComparison.Ordinal);
        Assert.Contains($"about {arrival} minutes", docs, StringComparison.Ordinal);
        Assert.Contains($"{visibility} s", docs, StringComparison.Ordinal);
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
        Assert.Equal(evaluator.Ref("EventsQueue"), Output("EventsQueueUrl"));
        Assert.Equal(evaluator.Ref("EventsDeadLetterQueue"), Output("EventsDeadLetterQueueUrl"));
        Assert.Equal(evaluator.Ref("WorkerPolicy"), Output("WorkerPolicyArn"));
        Assert.Equal(evaluator.Ref("ConsumerPollerPolicy"), Output("ConsumerPollerPolicyArn"));
        Assert.Equal(evaluator.Parameters["SearchUrl"], Output("SearchEndpoint"));
    }

    [Fact]
    public void The_api_is_served_on_every_path_of_its_http_api()
    {
        var events = SamTemplate.Map(Template.Properties("ApiFunction"), "Events").Values.Cast<Dictionary<string, object?>>().ToList();

        Assert.All(events, e => Assert.Equal("HttpApi", e["Type"]));
        Assert.All(events, e => Assert.Equal(new Dictionary<string, object?> { ["Ref"] = "HttpApi" }, SamTemplate.Map(e, "Properties")["ApiId"]));
        // No Path and Method: SAM makes it the $default route; the others only open paths (AccessTests).
        Assert.Single(events, e => !SamTemplate.Map(e, "Properties").ContainsKey("Path") && !SamTemplate.Map(e, "Properties").ContainsKey("Method"));
    }
}
