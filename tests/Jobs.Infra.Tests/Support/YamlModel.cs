using YamlDotNet.RepresentationModel;

namespace Jobs.Infra.Tests.Support;

/// <summary>
/// Reads YAML into plain values: <see cref="Dictionary{TKey,TValue}"/> (string keys),
/// <see cref="List{T}"/> and strings (every scalar; null for <c>~</c> and empty plain scalars).
/// CloudFormation's short-form tags become their long form, as CloudFormation reads them:
/// <c>!Ref X</c> is <c>{"Ref": "X"}</c>, <c>!GetAtt A.B</c> is <c>{"Fn::GetAtt": ["A", "B"]}</c>,
/// <c>!Condition C</c> is <c>{"Condition": "C"}</c>, and any other <c>!Name</c> is <c>{"Fn::Name": …}</c>.
/// </summary>
public static class YamlModel
{
    public static object? Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        Assert.Single(stream.Documents);
        return Convert(stream.Documents[0].RootNode);
    }

    public static Dictionary<string, object?> LoadMap(string text) =>
        Load(text) as Dictionary<string, object?> ?? throw new InvalidDataException("The document is not a mapping.");

    private static object? Convert(YamlNode node)
    {
        object? value = node switch
        {
            YamlMappingNode map => map.Children.ToDictionary(
                pair => ((YamlScalarNode)pair.Key).Value ?? "",
                pair => Convert(pair.Value)),
            YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
            YamlScalarNode scalar => ScalarValue(scalar),
            _ => throw new InvalidDataException($"Unexpected YAML node {node.GetType().Name}."),
        };
        return node.Tag.IsEmpty || node.Tag.IsNonSpecific ? value : Intrinsic(node.Tag.Value, value);
    }

    private static string? ScalarValue(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null"
            ? null
            : scalar.Value;

    private static Dictionary<string, object?> Intrinsic(string tag, object? value)
    {
        var name = tag.TrimStart('!');
        return name switch
        {
            "Ref" => new() { ["Ref"] = value },
            "Condition" => new() { ["Condition"] = value },
            "GetAtt" when value is string dotted => new() { ["Fn::GetAtt"] = SplitGetAtt(dotted) },
            _ => new() { ["Fn::" + name] = value },
        };
    }

    private static List<object?> SplitGetAtt(string dotted)
    {
        var dot = dotted.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? [dotted] : [dotted[..dot], dotted[(dot + 1)..]];
    }
}
