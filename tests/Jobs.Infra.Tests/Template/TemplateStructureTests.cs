using System.Globalization;
using System.Text.RegularExpressions;
using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.Template;

/// <summary>template.yaml holds together: references resolve, parameters are used and valid, rules work.</summary>
public sealed class TemplateStructureTests
{
    private static readonly SamTemplate Template = SamTemplate.Load();

    private static readonly HashSet<string> PseudoParameters =
        ["AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName", "AWS::StackId", "AWS::NoValue", "AWS::NotificationARNs"];

    [Fact]
    public void Is_a_SAM_template()
    {
        Assert.Equal("2010-09-09", Template.Root["AWSTemplateFormatVersion"]);
        Assert.Equal("AWS::Serverless-2016-10-31", Template.Root["Transform"]);
    }

    [Fact]
    public void Every_reference_names_a_parameter_a_resource_or_a_pseudo_parameter()
    {
        var names = Template.Parameters.Keys.Concat(Template.Resources.Keys).Concat(PseudoParameters).ToHashSet();
        var problems = new List<string>();
        foreach (var (path, kind, target) in References(Template.Root, ""))
        {
            var known = kind switch
            {
                "Ref" or "Sub" => names.Contains(target),
                "GetAtt" => Template.Resources.ContainsKey(target),
                "Condition" => Template.Conditions.ContainsKey(target),
                _ => false,
            };
            if (!known)
            {
                problems.Add($"{path}: {kind} {target}");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_parameter_and_condition_is_used()
    {
        var used = References(Template.Root, "").Select(r => r.Target).ToHashSet();
        var unused = Template.Parameters.Keys.Concat(Template.Conditions.Keys).Where(name => !used.Contains(name)).ToList();
        Assert.True(unused.Count == 0, $"unused: {string.Join(", ", unused)}");
    }

    [Fact]
    public void Every_parameter_is_described_and_its_default_meets_its_constraints()
    {
        foreach (var (name, parameter) in Template.Parameters)
        {
            Assert.False(string.IsNullOrWhiteSpace(parameter.GetValueOrDefault("Description") as string), $"{name} has no description");
            var value = parameter.GetValueOrDefault("Default") as string ?? "";
            if (parameter.GetValueOrDefault("AllowedValues") is List<object?> allowed)
            {
                Assert.Contains(value, allowed.Cast<string>());
            }

            if (parameter.GetValueOrDefault("AllowedPattern") is string pattern)
            {
                Assert.Matches(new Regex(pattern), value);
            }

            if ((string)parameter["Type"]! == "Number")
            {
                var number = double.Parse(value, CultureInfo.InvariantCulture);
                Assert.True(parameter.GetValueOrDefault("MinValue") is not string min || number >= double.Parse(min, CultureInfo.InvariantCulture), $"{name} default below MinValue");
                Assert.True(parameter.GetValueOrDefault("MaxValue") is not string max || number <= double.Parse(max, CultureInfo.InvariantCulture), $"{name} default above MaxValue");
            }
        }
    }

    [Fact]
    public void Secrets_are_never_echoed()
    {
        foreach (var secret in new[] { "SearchPassword", "SearchApiKey", "SmtpPassword" })
        {
            Assert.Equal("true", Template.Parameters[secret]["NoEcho"]);
        }
    }

    [Theory]
    [MemberData(nameof(Deployments.Names), MemberType = typeof(Deployments))]
    public void A_complete_deployment_passes_the_rules_and_every_value_resolves(string deployment)
    {
        var evaluator = Deployments.Evaluate(deployment);

        Assert.Empty(evaluator.FailedRules());
        foreach (var id in Template.Resources.Keys.Where(evaluator.Exists))
        {
            evaluator.Properties(id);
        }

        foreach (var (name, output) in Template.Outputs)
        {
            // An output with a Condition exists only when it holds (DispatchTopicArn: DispatchMode=sns).
            var map = (Dictionary<string, object?>)output!;
            if (map.TryGetValue("Condition", out var condition) && !evaluator.Condition((string)condition!))
            {
                continue;
            }

            Assert.False(string.IsNullOrEmpty(evaluator.String(map["Value"])), name);
        }
    }

    [Theory]
    [InlineData("no cluster at all", "CreateSearchDomain=false", "SearchUrl=", "SearchClusterNamed")]
    [InlineData("a created domain without a name", "CreateSearchDomain=true", "SearchDomainName=", "CreatedDomainNamedAndSigned")]
    [InlineData("a created domain with basic authentication", "CreateSearchDomain=true", "SearchAuth=Basic", "CreatedDomainNamedAndSigned")]
    [InlineData("SigV4 without the domain name", "SearchUrl=https://search-x.us-east-1.es.amazonaws.com", "SearchDomainName=", "SigV4NeedsDomainName")]
    [InlineData("basic authentication without a user", "SearchUrl=https://es.example.org", "SearchAuth=Basic", "BasicNeedsUser")]
    [InlineData("an API key left out", "SearchUrl=https://es.example.org", "SearchAuth=ApiKey", "ApiKeyNeedsKey")]
    [InlineData("webhook dispatch without a URL", "DispatchMode=webhook", "DispatchUrl=", "WebhookDispatchNamed")]
    [InlineData("dispatch without a token key", "DispatchMode=sns", "DispatchTokenKey=", "DispatchNeedsTokenKey")]
    public void The_rules_refuse_an_incomplete_deployment(string what, string first, string second, string rule)
    {
        var values = new[] { first, second }.Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        values.TryAdd("SearchDomainName", "jobs");

        var failed = new CfnEvaluator(Template, values).FailedRules();

        Assert.True(failed.Any(f => f.StartsWith(rule + ":", StringComparison.Ordinal)), $"{what}: expected rule {rule}, got [{string.Join("; ", failed)}]");
    }

    /// <summary>Every Ref, GetAtt, Sub variable and condition name in the template, with where it is.</summary>
    private static IEnumerable<(string Path, string Kind, string Target)> References(object? node, string path)
    {
        switch (node)
        {
            case Dictionary<string, object?> map:
                foreach (var (key, value) in map)
                {
                    var here = $"{path}/{key}";
                    switch (key)
                    {
                        case "Ref":
                            yield return (here, "Ref", (string)value!);
                            continue;
                        case "Fn::GetAtt":
                            yield return (here, "GetAtt", (string)((List<object?>)value!)[0]!);
                            continue;
                        case "Fn::Sub":
                            var (text, locals) = value is List<object?> form ? ((string)form[0]!, (Dictionary<string, object?>)form[1]!) : ((string)value!, []);
                            foreach (Match match in CfnEvaluator.SubVariable().Matches(text))
                            {
                                var variable = match.Groups[1].Value;
                                if (!variable.StartsWith('!') && !locals.ContainsKey(variable))
                                {
                                    var dot = variable.IndexOf('.', StringComparison.Ordinal);
                                    yield return dot > 0 && !variable.StartsWith("AWS::", StringComparison.Ordinal)
                                        ? (here, "GetAtt", variable[..dot])
                                        : (here, "Sub", variable);
                                }
                            }

                            foreach (var inner in locals.Values.SelectMany(v => References(v, here)))
                            {
                                yield return inner;
                            }

                            continue;
                        case "Fn::If":
                            yield return (here, "Condition", (string)((List<object?>)value!)[0]!);
                            break;
                        case "Condition" when value is string condition:
                            yield return (here, "Condition", condition);
                            continue;
                    }

                    foreach (var inner in References(value, here))
                    {
                        yield return inner;
                    }
                }

                break;
            case List<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    foreach (var inner in References(list[i], $"{path}[{i}]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
