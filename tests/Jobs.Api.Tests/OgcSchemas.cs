using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Yaml;

namespace Jobs.Api.Tests;

/// <summary>
/// Validates response bodies against the OGC API - Processes 1.0 schemas: our JSON rendering of
/// them (always), and the standard's own YAML files (../shared/standards/ogcapi-processes-1.0)
/// whenever that folder is found above the test directory.
/// </summary>
public static class OgcSchemas
{
    private static readonly Lazy<JsonSchema> Ours = new(() =>
        JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Schemas", "ogc-processes-1.0.schema.json")).GetAwaiter().GetResult());

    private static readonly Dictionary<string, JsonSchema?> Standard = [];

    /// <summary>The folder of the standard's YAML schemas, if this checkout sits beside ../shared.</summary>
    public static string? StandardSchemaFolder { get; } = FindStandard();

    private static string? FindStandard()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "standards", "ogcapi-processes-1.0", "schemas");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Asserts <paramref name="body"/> is a valid <paramref name="definition"/> (statusInfo, jobList, exception, landingPage, confClasses).</summary>
    public static void AssertValid(string definition, JsonNode body)
    {
        var json = body.ToJsonString();
        var schema = Ours.Value.Definitions[definition];
        var errors = schema.Validate(json);
        Assert.True(errors.Count == 0, $"{definition} invalid: {string.Join("; ", errors.Select(e => e.ToString()))}\n{json}");

        if (StandardSchemaFolder is not null && StandardFor(definition) is { } standard)
        {
            var standardErrors = standard.Validate(json);
            Assert.True(standardErrors.Count == 0, $"{definition} invalid against the standard's YAML: {string.Join("; ", standardErrors.Select(e => e.ToString()))}\n{json}");
        }
    }

    private static JsonSchema? StandardFor(string definition)
    {
        lock (Standard)
        {
            if (!Standard.TryGetValue(definition, out var schema))
            {
                var file = Path.Combine(StandardSchemaFolder!, $"{definition}.yaml");
                schema = File.Exists(file) ? JsonSchemaYaml.FromFileAsync(file).GetAwaiter().GetResult() : null;
                Standard[definition] = schema;
            }

            return schema;
        }
    }
}
