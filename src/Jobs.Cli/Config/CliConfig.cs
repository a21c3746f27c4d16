using System.Text.Json.Serialization;

namespace Jobs.Cli.Config;

/// <summary>One saved connection: the API's URL and one credential (a bearer token or an API key).</summary>
public sealed record CliProfile
{
    [JsonPropertyName("apiUrl")]
    public string? ApiUrl { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer …</c>.</summary>
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    /// <summary>Sent as <c>Authorization: ApiKey …</c>.</summary>
    [JsonPropertyName("apiKey")]
    public string? ApiKey { get; init; }
}

/// <summary>The config file: named profiles and the one used when none is named.</summary>
public sealed record CliConfig
{
    public const string DefaultProfile = "default";

    [JsonPropertyName("current")]
    public string Current { get; init; } = DefaultProfile;

    [JsonPropertyName("profiles")]
    public Dictionary<string, CliProfile> Profiles { get; init; } = new(StringComparer.Ordinal);
}
