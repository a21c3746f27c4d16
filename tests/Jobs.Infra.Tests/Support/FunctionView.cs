namespace Jobs.Infra.Tests.Support;

/// <summary>One <c>AWS::Serverless::Function</c> of template.yaml, resolved for one deployment.</summary>
public sealed class FunctionView(CfnEvaluator template, string logicalId)
{
    /// <summary>The template's functions and the host each runs.</summary>
    public static readonly IReadOnlyDictionary<string, HostSettings> Hosts = new Dictionary<string, HostSettings>
    {
        ["ApiFunction"] = HostSettings.Api,
        ["UpdatesFunction"] = HostSettings.Updates,
        // The API binary in its notifier role.
        ["NotifierFunction"] = HostSettings.Api,
    };

    public static TheoryData<string, string> EveryFunctionInEveryDeployment()
    {
        var data = new TheoryData<string, string>();
        foreach (var deployment in Deployments.All.Keys)
        {
            foreach (var function in Hosts.Keys)
            {
                data.Add(function, deployment);
            }
        }

        return data;
    }

    public string LogicalId { get; } = logicalId;

    public HostSettings Host => Hosts[LogicalId];

    public Dictionary<string, object?> Properties { get; } = template.Properties(logicalId);

    public Dictionary<string, string> Environment =>
        ((Dictionary<string, object?>)((Dictionary<string, object?>)Properties["Environment"]!)["Variables"]!)
            .ToDictionary(v => v.Key, v => (string)v.Value!);

    public string Handler => (string)Properties["Handler"]!;

    public int Timeout => int.Parse((string)Properties["Timeout"]!, System.Globalization.CultureInfo.InvariantCulture);

    public Dictionary<string, object?> Events => SamTemplate.Map(Properties, "Events")
        .ToDictionary(e => e.Key, e => (object?)e.Value);
}
