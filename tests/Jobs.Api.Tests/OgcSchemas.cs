using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Yaml;

namespace Jobs.Api.Tests;

/// <summary>
/// Validates response bodies against the OGC API - Processes 1.0 schemas twice: our JSON
/// rendering of them (Schemas/) and the standard's own YAML files, copied unmodified into
/// Data/ogcapi-processes-1.0 (Data/README.md says where they come from).
/// </summary>
public static class OgcSchemas
{
    private static readonly Lazy<JsonSchema> Ours = new(() =>
        JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Schemas", "ogc-processes-1.0.schema.json")).GetAwaiter().GetResult());

    private static readonly Dictionary<string, JsonSchema> Standard = [];

    /// <summary>The folder of the standard's YAML schemas, copied to the test output.</summary>
    public static string StandardSchemaFolder { get; } = Path.Combine(AppContext.BaseDirectory, "Data", "ogcapi-processes-1.0", "schemas");

    /// <summary>Asserts <paramref name="body"/> is a valid <paramref name="definition"/> (statusInfo, jobList, exception, landingPage, confClasses).</summary>
    public static void AssertValid(string definition, JsonNode body)
    {
        var json = body.ToJsonString();
        var schema = Ours.Value.Definitions[definition];
        var errors = schema.Validate(json);
        Assert.True(errors.Count == 0, $"{definition} invalid: {string.Join("; ", errors.Select(e => e.ToString()))}\n{json}");

        var standardErrors = StandardFor(definition).Validate(json);
        Assert.True(standardErrors.Count == 0, $"{definition} invalid against the standard's YAML: {string.Join("; ", standardErrors.Select(e => e.ToString()))}\n{json}");
    }

    private static JsonSchema StandardFor(string definition)
    {
        lock (Standard)
        {
            if (!Standard.TryGetValue(definition, out var schema))
            {
                var file = Path.Combine(StandardSchemaFolder, $"{definition}.yaml");
                Assert.True(File.Exists(file), $"{file}: no copy of the standard's {definition} schema (see Data/README.md)");
                schema = JsonSchemaYaml.FromFileAsync(file).GetAwaiter().GetResult();
                Standard[definition] = schema;
            }

            return schema;
        }
    }
}
