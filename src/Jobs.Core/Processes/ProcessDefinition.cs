using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Core.Processes;

/// <summary>
/// A deployed process version: the OGC process description and execution unit of the
/// Application Package it was deployed with.
/// </summary>
public sealed record ProcessDefinition
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("version")]
    public required string Version { get; init; }

    /// <summary>The OGC process description (<c>process.yaml</c> shape) as deployed.</summary>
    [JsonPropertyName("description")]
    public required JsonElement Description { get; init; }

    /// <summary>The execution unit (for example a CWL reference), kept for the execution backend.</summary>
    [JsonPropertyName("execution-unit")]
    public JsonElement? ExecutionUnit { get; init; }

    [JsonPropertyName("deployed")]
    public required DateTimeOffset Deployed { get; init; }

    /// <summary>The typed view used to check execute requests.</summary>
    public ProcessDescriptionView View() => ProcessDescriptionView.From(Description);
}
