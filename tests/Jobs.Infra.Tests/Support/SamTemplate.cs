namespace Jobs.Infra.Tests.Support;

/// <summary>
/// template.yaml as CloudFormation would see it after the SAM transform's <c>Globals</c> step:
/// each <c>AWS::Serverless::Function</c> carries the global function properties (maps merged,
/// lists concatenated, the function's own scalars winning, as SAM documents it).
/// </summary>
public sealed class SamTemplate
{
    private SamTemplate(Dictionary<string, object?> root)
    {
        Root = root;
        Parameters = Map(root, "Parameters").ToDictionary(p => p.Key, p => (Dictionary<string, object?>)p.Value!);
        Conditions = Map(root, "Conditions");
        Rules = Map(root, "Rules");
        Outputs = Map(root, "Outputs");
        var globalFunction = Map(Map(root, "Globals"), "Function");
        Resources = Map(root, "Resources").ToDictionary(
            r => r.Key,
            r => WithGlobals((Dictionary<string, object?>)r.Value!, globalFunction));
    }

    public static SamTemplate Load() => new(YamlModel.LoadMap(RepoFiles.ReadText("template.yaml")));

    public Dictionary<string, object?> Root { get; }

    public Dictionary<string, Dictionary<string, object?>> Parameters { get; }

    public Dictionary<string, object?> Conditions { get; }

    public Dictionary<string, object?> Rules { get; }

    public Dictionary<string, object?> Outputs { get; }

    /// <summary>Logical id to resource (<c>Type</c>, <c>Properties</c>, <c>Condition</c>, <c>Metadata</c>…).</summary>
    public Dictionary<string, Dictionary<string, object?>> Resources { get; }

    public string TypeOf(string logicalId) => (string)Resources[logicalId]["Type"]!;

    public Dictionary<string, object?> Properties(string logicalId) => Map(Resources[logicalId], "Properties");

    public IEnumerable<string> OfType(string type) => Resources.Where(r => (string?)r.Value["Type"] == type).Select(r => r.Key);

    /// <summary>Parameter defaults, overridden by <paramref name="values"/>.</summary>
    public Dictionary<string, string> ParameterValues(IReadOnlyDictionary<string, string>? values = null)
    {
        var result = Parameters.ToDictionary(p => p.Key, p => p.Value.TryGetValue("Default", out var d) ? d?.ToString() ?? "" : "");
        foreach (var (name, value) in values ?? new Dictionary<string, string>())
        {
            Assert.True(Parameters.ContainsKey(name), $"template.yaml has no parameter {name}");
            result[name] = value;
        }

        return result;
    }

    public static Dictionary<string, object?> Map(Dictionary<string, object?> map, string key) =>
        map.TryGetValue(key, out var value) && value is Dictionary<string, object?> child ? child : [];

    private static Dictionary<string, object?> WithGlobals(Dictionary<string, object?> resource, Dictionary<string, object?> globalFunction)
    {
        if ((string?)resource["Type"] != "AWS::Serverless::Function" || globalFunction.Count == 0)
        {
            return resource;
        }

        var merged = new Dictionary<string, object?>(resource)
        {
            ["Properties"] = Merge(globalFunction, Map(resource, "Properties")),
        };
        return merged;
    }

    private static object? Merge(object? global, object? local) => (global, local) switch
    {
        (Dictionary<string, object?> g, Dictionary<string, object?> l) when !IsIntrinsic(g) && !IsIntrinsic(l) =>
            g.Keys.Union(l.Keys).ToDictionary(
                k => k,
                k => g.TryGetValue(k, out var gv) ? (l.TryGetValue(k, out var lv) ? Merge(gv, lv) : gv) : l[k]),
        (List<object?> g, List<object?> l) => g.Concat(l).ToList(),
        (_, null) => global,
        _ => local,
    };

    private static bool IsIntrinsic(Dictionary<string, object?> map) =>
        map.Count == 1 && map.Keys.Single() is var key && (key == "Ref" || key == "Condition" || key.StartsWith("Fn::", StringComparison.Ordinal));
}
