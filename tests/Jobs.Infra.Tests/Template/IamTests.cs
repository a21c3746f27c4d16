using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.Template;

/// <summary>
/// Least privilege, checked against the code: each role and policy allows exactly the actions its
/// principal performs (read from the sources where our code makes the call), on the stack's own
/// resources, and nothing else.
/// </summary>
public sealed class IamTests
{
    /// <summary>What Lambda does with a function's role: write the function's logs.</summary>
    private static readonly string[] LogActions = ["logs:CreateLogStream", "logs:PutLogEvents"];

    /// <summary>What Lambda's SQS event source mapping does with the function's role (AWSLambdaSQSQueueExecutionRole, scoped).</summary>
    private static readonly string[] EventSourceMappingActions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];

    private static readonly SamTemplate Template = SamTemplate.Load();

    [Fact]
    public void The_code_makes_the_calls_these_tests_expect()
    {
        // Guards the source scans below: they must find the calls, or every comparison is vacuous.
        Assert.Equal(["es:ESHttpDelete", "es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"], CodeFacts.ElasticsearchActions());
        Assert.Equal(["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage"], CodeFacts.PollerSqsActions());
        Assert.Equal(["sns:Publish"], CodeFacts.SnsActions());
        Assert.Equal(["sqs:SendMessage"], CodeFacts.CliSqsActions());
        Assert.Equal(["sqs:SendMessage"], CodeFacts.EventsSqsActions());
        Assert.Equal(["job-deliveries", "job-events", "job-subscriptions", "jobs", "processes"], CodeFacts.ElasticsearchIndexNames());
        Assert.Equal(
            ["es:ESHttpDelete {index}", "es:ESHttpGet /", "es:ESHttpGet {index}", "es:ESHttpPost _bulk", "es:ESHttpPost {index}", "es:ESHttpPut {index}"],
            CodeFacts.ElasticsearchRequests());
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void The_api_role_allows_its_logs_and_the_clusters_http_calls(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);

        var expected = Grants(LogActions, evaluator.GetAtt("ApiLogGroup", "Arn"))
            .Concat(EventsGrants(evaluator))
            .Concat(SearchGrants(evaluator))
            .Concat(evaluator.Parameters["DispatchMode"] == "sns" ? Grants(CodeFacts.SnsActions(), evaluator.Ref("DispatchTopic")) : []);

        Assert.Equal(Sorted(expected), Sorted(RoleGrants(evaluator, "ApiFunctionRole")));
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void The_consumer_role_allows_its_logs_the_event_source_mapping_on_its_queue_and_the_clusters_http_calls(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);

        var expected = Grants(LogActions, evaluator.GetAtt("UpdatesLogGroup", "Arn"))
            .Concat(Grants(EventSourceMappingActions, evaluator.GetAtt("UpdatesQueue", "Arn")))
            .Concat(EventsGrants(evaluator))
            .Concat(SearchGrants(evaluator));

        Assert.Equal(Sorted(expected), Sorted(RoleGrants(evaluator, "UpdatesFunctionRole")));
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void The_notifier_role_allows_its_logs_the_event_source_mapping_on_the_events_queue_publishing_and_the_clusters_http_calls(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);

        var expected = Grants(LogActions, evaluator.GetAtt("NotifierLogGroup", "Arn"))
            .Concat(Grants(EventSourceMappingActions, evaluator.GetAtt("EventsQueue", "Arn")))
            .Concat(EventsGrants(evaluator))
            .Concat(SearchGrants(evaluator));

        Assert.Equal(Sorted(expected), Sorted(RoleGrants(evaluator, "NotifierFunctionRole")));
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void The_worker_policy_allows_what_jobs_update_sends_to_the_topic_and_the_queue(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);

        var expected = Grants(CodeFacts.SnsActions(), evaluator.Ref("UpdatesTopic"))
            .Concat(Grants(CodeFacts.CliSqsActions(), evaluator.GetAtt("UpdatesQueue", "Arn")));

        Assert.Equal(Sorted(expected), Sorted(DocumentGrants(evaluator.Properties("WorkerPolicy")["PolicyDocument"])));
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void The_poller_policy_allows_the_pollers_queue_calls_and_the_clusters_http_calls(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);

        var expected = Grants(CodeFacts.PollerSqsActions(), evaluator.GetAtt("UpdatesQueue", "Arn"))
            .Concat(EventsGrants(evaluator))
            .Concat(SearchGrants(evaluator));

        Assert.Equal(Sorted(expected), Sorted(DocumentGrants(evaluator.Properties("ConsumerPollerPolicy")["PolicyDocument"])));
    }

    [Fact]
    public void A_created_domain_lets_in_the_three_function_roles_for_the_clusters_http_calls()
    {
        var evaluator = Deployments.Evaluate("created OpenSearch domain");
        var statement = Assert.Single(Statements(evaluator.Properties("SearchDomain")["AccessPolicies"]));

        var principals = ((Dictionary<string, object?>)statement["Principal"]!)["AWS"] switch
        {
            List<object?> list => list.Cast<string>(),
            var one => [(string)one!],
        };
        Assert.Equal(
            new[] { evaluator.GetAtt("ApiFunctionRole", "Arn"), evaluator.GetAtt("UpdatesFunctionRole", "Arn"), evaluator.GetAtt("NotifierFunctionRole", "Arn") }.Order(),
            principals.Order());
        // The stack's own domain: the roles' policies (above) narrow what they may call on it.
        Assert.Equal(
            Sorted(Grants(CodeFacts.ElasticsearchActions(), $"arn:aws:es:{CfnEvaluator.Region}:{CfnEvaluator.AccountId}:domain/{evaluator.Parameters["SearchDomainName"]}/*")),
            Sorted(StatementGrants(statement)));
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void Search_rights_stop_at_the_stacks_own_indices(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);
        var domain = $"arn:aws:es:{CfnEvaluator.Region}:{CfnEvaluator.AccountId}:domain/{evaluator.Parameters["SearchDomainName"]}/";
        var grants = RoleGrants(evaluator, "ApiFunctionRole").Concat(RoleGrants(evaluator, "UpdatesFunctionRole")).Concat(RoleGrants(evaluator, "NotifierFunctionRole"))
            .Concat(DocumentGrants(evaluator.Properties("ConsumerPollerPolicy")["PolicyDocument"]))
            .Where(g => g.Action.StartsWith("es:", StringComparison.Ordinal)).ToList();

        Assert.Equal(evaluator.Parameters["SearchAuth"] == "SigV4", grants.Count > 0);
        foreach (var (action, resource) in grants)
        {
            var path = resource[domain.Length..];
            // Another stack's indices (another prefix) and the cluster's own APIs stay out of reach;
            // a DELETE can only ever remove the stack's own indices or documents.
            Assert.True(
                path is "" or "_bulk" || IndexNames(evaluator).Any(name => path == name + "*"),
                $"{action} on {resource} reaches beyond the stack's indices");
            Assert.True(action != "es:ESHttpDelete" || path.Length > 1, $"{action} on {resource}");
        }
    }

    [Fact]
    public void The_functions_run_as_the_stacks_roles_so_SAM_attaches_no_managed_policies()
    {
        // With a generated role, SAM's SQS event would attach AWSLambdaSQSQueueExecutionRole
        // (every queue of the account) and AWSLambdaBasicExecutionRole (every log group).
        foreach (var function in Template.OfType("AWS::Serverless::Function"))
        {
            var properties = Template.Properties(function);
            var role = Assert.IsType<Dictionary<string, object?>>(properties["Role"]);
            var target = (List<object?>)role["Fn::GetAtt"]!;
            Assert.Equal("AWS::IAM::Role", Template.TypeOf((string)target[0]!));
            Assert.False(properties.ContainsKey("Policies"), $"{function}: Policies would be ignored next to Role");
        }

        foreach (var role in Template.OfType("AWS::IAM::Role"))
        {
            Assert.False(Template.Properties(role).ContainsKey("ManagedPolicyArns"), role);
        }
    }

    [Fact]
    public void Only_Lambda_assumes_the_function_roles()
    {
        var evaluator = Deployments.Evaluate("cluster without authentication");
        foreach (var role in Template.OfType("AWS::IAM::Role"))
        {
            var statement = Assert.Single(Statements(evaluator.Properties(role)["AssumeRolePolicyDocument"]));
            Assert.Equal("sts:AssumeRole", statement["Action"]);
            Assert.Equal(new Dictionary<string, object?> { ["Service"] = "lambda.amazonaws.com" }, statement["Principal"]);
        }
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void No_policy_uses_a_wildcard_action_or_resource(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);
        var grants = Template.OfType("AWS::IAM::Role").SelectMany(r => RoleGrants(evaluator, r))
            .Concat(Template.OfType("AWS::IAM::ManagedPolicy").SelectMany(p => DocumentGrants(evaluator.Properties(p)["PolicyDocument"])));

        foreach (var (action, resource) in grants)
        {
            Assert.DoesNotContain("*", action, StringComparison.Ordinal);
            Assert.NotEqual("*", resource);
        }
    }

    /// <summary>
    /// What the adapter's requests need when the functions sign with SigV4 (nothing otherwise): its
    /// index requests on the stack's own indices (their names with the index prefix, and the
    /// numbered indices behind them), <c>_bulk</c> and the cluster's root as it calls them.
    /// </summary>
    private static IEnumerable<(string, string)> SearchGrants(CfnEvaluator evaluator)
    {
        if (evaluator.Parameters["SearchAuth"] != "SigV4")
        {
            return [];
        }

        var domain = $"arn:aws:es:{CfnEvaluator.Region}:{CfnEvaluator.AccountId}:domain/{evaluator.Parameters["SearchDomainName"]}/";
        return CodeFacts.ElasticsearchRequests().Select(r => r.Split(' ')).SelectMany(r => r[1] switch
        {
            "{index}" => IndexNames(evaluator).Select(name => (r[0], domain + name + "*")),
            "/" => [(r[0], domain)],
            var path => [(r[0], domain + path)],
        });
    }

    /// <summary>What every writer of jobs needs: publishing their events to the events queue (the store does it after each write).</summary>
    private static IEnumerable<(string, string)> EventsGrants(CfnEvaluator evaluator) =>
        Grants(CodeFacts.EventsSqsActions(), evaluator.GetAtt("EventsQueue", "Arn"));

    /// <summary>The stack's index (alias) names: the store's, behind the index prefix.</summary>
    private static IEnumerable<string> IndexNames(CfnEvaluator evaluator) =>
        CodeFacts.ElasticsearchIndexNames().Select(name => evaluator.Parameters["SearchIndexPrefix"] + name);

    private static IEnumerable<(string Action, string Resource)> Grants(IEnumerable<string> actions, string resource) =>
        actions.Select(a => (a, resource));

    private static IEnumerable<(string Action, string Resource)> RoleGrants(CfnEvaluator evaluator, string role) =>
        ((List<object?>)evaluator.Properties(role)["Policies"]!).Cast<Dictionary<string, object?>>()
            .SelectMany(p => DocumentGrants(p["PolicyDocument"]));

    private static IEnumerable<(string Action, string Resource)> DocumentGrants(object? document) =>
        Statements(document).SelectMany(StatementGrants);

    private static IEnumerable<(string Action, string Resource)> StatementGrants(Dictionary<string, object?> statement)
    {
        Assert.Equal("Allow", statement["Effect"]);
        Assert.False(statement.ContainsKey("NotAction") || statement.ContainsKey("NotResource"));
        return
            from action in AsList(statement["Action"])
            from resource in AsList(statement["Resource"])
            select (action, resource);
    }

    private static List<Dictionary<string, object?>> Statements(object? document) =>
        ((Dictionary<string, object?>)document!)["Statement"] switch
        {
            List<object?> list => list.Cast<Dictionary<string, object?>>().ToList(),
            var one => [(Dictionary<string, object?>)one!],
        };

    private static List<string> AsList(object? value) => value switch
    {
        List<object?> list => list.Cast<string>().ToList(),
        string one => [one],
        _ => throw new InvalidDataException("expected a string or a list of strings"),
    };

    private static List<string> Sorted(IEnumerable<(string Action, string Resource)> grants) =>
        grants.Select(g => $"{g.Action} on {g.Resource}").Distinct().Order(StringComparer.Ordinal).ToList();
}
