using System.Globalization;
using System.Text.RegularExpressions;

namespace Jobs.Infra.Tests.Support;

/// <summary>
/// Resolves CloudFormation intrinsic functions in <see cref="SamTemplate"/> for one set of
/// parameter values, as a deployment in <see cref="Region"/> of account <see cref="AccountId"/>
/// would: conditions, <c>Ref</c>, <c>Fn::GetAtt</c>, <c>Fn::Sub</c>, <c>Fn::If</c> (with
/// <c>AWS::NoValue</c> removing the property), <c>Fn::Join</c>, <c>Fn::Select</c>, <c>Fn::Split</c>.
/// Resource references give values of the shape AWS gives (a queue's Ref is its URL, a topic's
/// its ARN…). A reference to a resource that the parameters leave out, or to an attribute this
/// evaluator does not know, throws: CloudFormation would refuse the template too.
/// </summary>
public sealed partial class CfnEvaluator
{
    public const string Region = "us-east-1";
    public const string AccountId = "123456789012";

    /// <summary>The value of <c>!Ref AWS::NoValue</c>: the enclosing property or list item disappears.</summary>
    public static readonly object NoValue = new();

    private readonly Dictionary<string, bool> _conditions = [];

    public CfnEvaluator(SamTemplate template, IReadOnlyDictionary<string, string>? parameters = null, string stackName = "jobs")
    {
        Template = template;
        StackName = stackName;
        Parameters = template.ParameterValues(parameters);
    }

    public SamTemplate Template { get; }

    public string StackName { get; }

    public Dictionary<string, string> Parameters { get; }

    public bool Condition(string name)
    {
        if (!_conditions.TryGetValue(name, out var value))
        {
            Assert.True(Template.Conditions.ContainsKey(name), $"no condition {name}");
            value = Truth(Template.Conditions[name]);
            _conditions[name] = value;
        }

        return value;
    }

    /// <summary>A resource exists unless its <c>Condition</c> is false.</summary>
    public bool Exists(string logicalId) =>
        Template.Resources.TryGetValue(logicalId, out var resource)
        && (!resource.TryGetValue("Condition", out var condition) || condition is not string name || Condition(name));

    /// <summary>The resource's properties, resolved.</summary>
    public Dictionary<string, object?> Properties(string logicalId)
    {
        Assert.True(Exists(logicalId), $"{logicalId} is not created with these parameters");
        return (Dictionary<string, object?>)Evaluate(Template.Properties(logicalId))!;
    }

    public string String(object? node) => Evaluate(node) switch
    {
        string s => s,
        var other => throw new InvalidDataException($"expected a string, got {Describe(other)}"),
    };

    public object? Evaluate(object? node)
    {
        switch (node)
        {
            case null or string:
                return node;
            case List<object?> list:
                return list.Select(Evaluate).Where(v => !ReferenceEquals(v, NoValue)).ToList();
            case Dictionary<string, object?> map when map.Count == 1 && IsFunction(map.Keys.Single()):
                return Function(map.Keys.Single(), map.Values.Single());
            case Dictionary<string, object?> map:
                var result = new Dictionary<string, object?>();
                foreach (var (key, value) in map)
                {
                    var resolved = Evaluate(value);
                    if (!ReferenceEquals(resolved, NoValue))
                    {
                        result[key] = resolved;
                    }
                }

                return result;
            default:
                throw new InvalidDataException($"unexpected node {node.GetType().Name}");
        }
    }

    /// <summary>The failed assertions of the template's <c>Rules</c> for these parameters.</summary>
    public List<string> FailedRules()
    {
        var failed = new List<string>();
        foreach (var (name, value) in Template.Rules)
        {
            var rule = (Dictionary<string, object?>)value!;
            if (rule.TryGetValue("RuleCondition", out var condition) && !Truth(condition))
            {
                continue;
            }

            foreach (var assertion in ((List<object?>)rule["Assertions"]!).Cast<Dictionary<string, object?>>())
            {
                if (!Truth(assertion["Assert"]))
                {
                    failed.Add($"{name}: {assertion.GetValueOrDefault("AssertDescription")}");
                }
            }
        }

        return failed;
    }

    public string Ref(string name)
    {
        if (Parameters.TryGetValue(name, out var parameter))
        {
            return parameter;
        }

        return name switch
        {
            "AWS::Region" => Region,
            "AWS::AccountId" => AccountId,
            "AWS::Partition" => "aws",
            "AWS::URLSuffix" => "amazonaws.com",
            "AWS::StackName" => StackName,
            _ => ResourceRef(name),
        };
    }

    public string GetAtt(string logicalId, string attribute)
    {
        var type = ExistingType(logicalId);
        return (type, attribute) switch
        {
            ("AWS::SQS::Queue", "Arn") => $"arn:aws:sqs:{Region}:{AccountId}:{NameOf(logicalId, "QueueName")}",
            ("AWS::SQS::Queue", "QueueName") => NameOf(logicalId, "QueueName"),
            ("AWS::SQS::Queue", "QueueUrl") => ResourceRef(logicalId),
            ("AWS::SNS::Topic", "TopicArn") => ResourceRef(logicalId),
            ("AWS::SNS::Topic", "TopicName") => NameOf(logicalId, "TopicName"),
            ("AWS::IAM::Role", "Arn") => $"arn:aws:iam::{AccountId}:role/{StackName}-{logicalId}",
            ("AWS::Logs::LogGroup", "Arn") => $"arn:aws:logs:{Region}:{AccountId}:log-group:{NameOf(logicalId, "LogGroupName")}:*",
            ("AWS::OpenSearchService::Domain", "Arn") => $"arn:aws:es:{Region}:{AccountId}:domain/{NameOf(logicalId, "DomainName")}",
            ("AWS::OpenSearchService::Domain", "DomainEndpoint") => $"search-{NameOf(logicalId, "DomainName")}-abcdefgh.{Region}.es.amazonaws.com",
            ("AWS::Serverless::Function", "Arn") => $"arn:aws:lambda:{Region}:{AccountId}:function:{ResourceRef(logicalId)}",
            _ => throw new InvalidDataException($"Fn::GetAtt {logicalId}.{attribute}: not an attribute of {type} that these tests know"),
        };
    }

    private string ResourceRef(string logicalId)
    {
        var type = ExistingType(logicalId);
        return type switch
        {
            "AWS::SQS::Queue" => $"https://sqs.{Region}.amazonaws.com/{AccountId}/{NameOf(logicalId, "QueueName")}",
            "AWS::SNS::Topic" => $"arn:aws:sns:{Region}:{AccountId}:{NameOf(logicalId, "TopicName")}",
            "AWS::IAM::ManagedPolicy" => $"arn:aws:iam::{AccountId}:policy/{StackName}-{logicalId}",
            "AWS::IAM::Role" => $"{StackName}-{logicalId}",
            "AWS::Logs::LogGroup" => NameOf(logicalId, "LogGroupName"),
            "AWS::OpenSearchService::Domain" => NameOf(logicalId, "DomainName"),
            "AWS::Serverless::HttpApi" => "a1b2c3d4e5",
            "AWS::Cognito::UserPool" => $"{Region}_AbCdEf123",
            "AWS::Cognito::UserPoolClient" => "1a2b3c4d5e6f7g8h9i0jclient",
            "AWS::Serverless::Function" => NameOf(logicalId, "FunctionName", $"{StackName}-{logicalId}-AbCdEf123456"),
            _ => logicalId,
        };
    }

    private string ExistingType(string logicalId)
    {
        Assert.True(Template.Resources.ContainsKey(logicalId), $"no resource or parameter {logicalId}");
        Assert.True(Exists(logicalId), $"{logicalId} is referenced but not created with these parameters");
        return Template.TypeOf(logicalId);
    }

    private string NameOf(string logicalId, string property, string? fallback = null) =>
        Template.Properties(logicalId).TryGetValue(property, out var name) && name is not null
            ? String(name)
            : fallback ?? $"{StackName}-{logicalId}-AbCdEf123456";

    private static bool IsFunction(string key) => key is "Ref" or "Condition" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private object? Function(string name, object? argument)
    {
        switch (name)
        {
            case "Ref":
                return (string)argument! == "AWS::NoValue" ? NoValue : Ref((string)argument!);
            case "Fn::GetAtt":
                var parts = (List<object?>)argument!;
                return GetAtt(String(parts[0]), String(parts[1]));
            case "Fn::Sub":
                return Sub(argument);
            case "Fn::If":
                var branches = (List<object?>)argument!;
                return Evaluate(Condition((string)branches[0]!) ? branches[1] : branches[2]);
            case "Fn::Join":
                var join = (List<object?>)argument!;
                return string.Join(String(join[0]), ((List<object?>)Evaluate(join[1])!).Select(v => (string)v!));
            case "Fn::Select":
                var select = (List<object?>)argument!;
                return ((List<object?>)Evaluate(select[1])!)[int.Parse(String(select[0]), CultureInfo.InvariantCulture)];
            case "Fn::Split":
                var split = (List<object?>)argument!;
                return String(split[1]).Split(String(split[0])).Cast<object?>().ToList();
            case "Fn::Equals" or "Fn::Not" or "Fn::And" or "Fn::Or" or "Condition":
                return Truth(new Dictionary<string, object?> { [name] = argument }) ? "true" : "false";
            default:
                throw new NotSupportedException($"{name} is not evaluated by these tests");
        }
    }

    private bool Truth(object? expression)
    {
        var map = expression as Dictionary<string, object?> ?? throw new InvalidDataException($"not a condition: {Describe(expression)}");
        var (name, argument) = (map.Keys.Single(), map.Values.Single());
        return name switch
        {
            "Condition" => Condition((string)argument!),
            "Fn::Equals" => ((List<object?>)argument!).Select(String).Distinct().Count() == 1,
            "Fn::Not" => !Truth(((List<object?>)argument!).Single()),
            "Fn::And" => ((List<object?>)argument!).All(Truth),
            "Fn::Or" => ((List<object?>)argument!).Any(Truth),
            _ => throw new NotSupportedException($"{name} is not a condition function these tests know"),
        };
    }

    private string Sub(object? argument)
    {
        var (text, variables) = argument switch
        {
            string s => (s, new Dictionary<string, object?>()),
            List<object?> { Count: 2 } list => ((string)list[0]!, (Dictionary<string, object?>)list[1]!),
            _ => throw new InvalidDataException("Fn::Sub takes a string or [string, variables]"),
        };
        return SubVariable().Replace(text, match =>
        {
            var expression = match.Groups[1].Value;
            if (expression.StartsWith('!'))
            {
                return "${" + expression[1..] + "}";
            }

            if (variables.TryGetValue(expression, out var local))
            {
                return String(local);
            }

            var dot = expression.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && !expression.StartsWith("AWS::", StringComparison.Ordinal)
                ? GetAtt(expression[..dot], expression[(dot + 1)..])
                : Ref(expression);
        });
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        _ => value.GetType().Name,
    };

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    public static partial Regex SubVariable();
}
