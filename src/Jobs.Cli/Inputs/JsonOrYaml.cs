using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Jobs.Cli.Inputs;

/// <summary>
/// Reads a JSON or YAML document (inputs files, application packages, search requests) into
/// JSON. YAML scalars get JSON types by YAML 1.2's core schema: plain <c>5</c>, <c>2.5</c>,
/// <c>true</c>, <c>null</c> become a number, a boolean and null; quoted ones stay strings.
/// </summary>
public static class JsonOrYaml
{
    public static JsonNode? ReadFile(string path, string what)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read {what} '{path}': {e.Message}");
        }

        return Parse(text, $"{what} '{path}'");
    }

    public static JsonNode? Parse(string text, string what)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException json) when (!text.TrimStart().StartsWith('{') && !text.TrimStart().StartsWith('['))
        {
            try
            {
                var yaml = new YamlStream();
                yaml.Load(new StringReader(text));
                return yaml.Documents.Count == 0 ? null : Convert(yaml.Documents[0].RootNode);
            }
            catch (YamlException e)
            {
                throw new CliException(ExitCodes.Usage, $"{what} is neither JSON ({json.Message}) nor YAML ({e.Message})");
            }
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Usage, $"{what} is not valid JSON: {e.Message}");
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsInfinity(d) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }
}
