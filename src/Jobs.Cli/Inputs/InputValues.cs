using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.Cli.Inputs;

/// <summary>
/// A job's inputs from the command line: a JSON or YAML file (a map of input id to value), then
/// <c>-i key=value</c> (a string, as given) or <c>-i key:=json</c> (a JSON value: number, object,
/// list…), later ones replacing earlier ones.
/// </summary>
public static class InputValues
{
    public static JsonObject Build(string? file, IReadOnlyList<string> pairs)
    {
        var inputs = new JsonObject();
        if (file is not null)
        {
            var read = JsonOrYaml.ReadFile(file, "inputs file");
            if (read is not JsonObject map)
            {
                throw new CliException(ExitCodes.Usage, $"inputs file '{file}' must hold a map of input id to value, e.g. {{\"input_file\": \"s3://bucket/in.nc\"}}");
            }

            foreach (var (key, value) in map)
            {
                inputs[key] = value?.DeepClone();
            }
        }

        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException(ExitCodes.Usage, $"-i '{pair}' must be key=value (a string) or key:=json (a JSON value)");
            }

            var raw = equals > 0 && pair[equals - 1] == ':';
            var key = pair[..(raw ? equals - 1 : equals)].Trim();
            var text = pair[(equals + 1)..];
            if (key.Length == 0)
            {
                throw new CliException(ExitCodes.Usage, $"-i '{pair}' names no input");
            }

            if (!raw)
            {
                inputs[key] = text;
                continue;
            }

            try
            {
                inputs[key] = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new CliException(ExitCodes.Usage, $"-i '{pair}': the value after := must be JSON ({e.Message}); use key=value for a plain string");
            }
        }

        return inputs;
    }
}
