using Jobs.Dispatch;
using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.Template;

/// <summary>
/// What template.yaml sets for dispatch, against the dispatch code: the API function gets the
/// mode and exactly the settings that mode reads, a token key (Lambda keeps no generated one), and
/// with <c>sns</c> the stack's dispatch topic, on which alone it may sns:Publish (IamTests). <c>local</c> is not offered:
/// Lambda has no cwltool.
/// </summary>
public sealed class DispatchTemplateTests
{
    private static readonly SamTemplate Template = SamTemplate.Load();

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void The_api_function_gets_the_dispatch_settings_of_its_mode(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);
        var parameters = evaluator.Parameters;
        var environment = new FunctionView(evaluator, "ApiFunction").Environment;
        var options = HostSettings.Bind<DispatchOptions>(environment);

        Assert.Equal(parameters["DispatchMode"], options.Mode);
        var set = environment.Keys.Where(k => k.StartsWith("Jobs__Dispatch__", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        List<string> expected = parameters["DispatchMode"] switch
        {
            DispatchModes.Sns => ["Jobs__Dispatch__Mode", "Jobs__Dispatch__TokenKey", "Jobs__Dispatch__TopicArn", "Jobs__Dispatch__WaitBeforeAnswer"],
            DispatchModes.Webhook => ["Jobs__Dispatch__Mode", "Jobs__Dispatch__Secret", "Jobs__Dispatch__TokenKey", "Jobs__Dispatch__Url", "Jobs__Dispatch__WaitBeforeAnswer"],
            _ => ["Jobs__Dispatch__Mode"],
        };
        Assert.Equal(expected, set);
        if (parameters["DispatchMode"] != DispatchModes.None)
        {
            Assert.True(Convert.FromBase64String(options.TokenKey!).Length >= DerivedUpdateTokens.MinKeyBytes);
            Assert.Equal(parameters["DispatchMode"] == DispatchModes.Sns ? evaluator.Ref("DispatchTopic") : null, options.TopicArn);

            // Lambda freezes the function after the answer: the dispatch must go out before it,
            // within the function's own time-out.
            Assert.True(options.WaitBeforeAnswer > TimeSpan.Zero);
            Assert.True(options.WaitBeforeAnswer + options.Timeout <= TimeSpan.FromSeconds(new FunctionView(evaluator, "ApiFunction").Timeout));
        }

        // The consumer does not dispatch.
        Assert.DoesNotContain(new FunctionView(evaluator, "UpdatesFunction").Environment.Keys, k => k.StartsWith("Jobs__Dispatch__", StringComparison.Ordinal));
    }

    [Fact]
    public void The_template_offers_the_remote_modes_the_code_has_and_not_local()
    {
        var allowed = ((List<object?>)Template.Parameters["DispatchMode"]["AllowedValues"]!).Cast<string>().ToList();

        Assert.Equal([DispatchModes.None, DispatchModes.Webhook, DispatchModes.Sns], allowed);
        Assert.All(allowed, mode => Assert.Contains(mode, DispatchModes.All));
        Assert.Equal("true", Template.Parameters["DispatchSecret"]["NoEcho"]?.ToString()?.ToLowerInvariant());
        Assert.Equal("true", Template.Parameters["DispatchTokenKey"]["NoEcho"]?.ToString()?.ToLowerInvariant());
    }
}
