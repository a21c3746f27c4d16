namespace Jobs.Api.Identity;

/// <summary>
/// Which authentication schemes the configuration sets up: JWT bearer when the standard
/// <c>Authentication:Schemes:Bearer</c> section exists, API keys when <c>Jobs:Auth:ApiKeys</c>
/// lists any. Neither is the single-machine default (<see cref="IsLocal"/>).
/// </summary>
public sealed record AuthSchemes(bool Bearer, bool ApiKeys)
{
    public const string BearerSection = "Authentication:Schemes:Bearer";

    public bool IsLocal => !Bearer && !ApiKeys;

    /// <summary>The configured schemes, as challenged on a 401 (one <c>WWW-Authenticate</c> each).</summary>
    public IReadOnlyList<string> Names =>
        [.. (Bearer ? (string[])["Bearer"] : []), .. (ApiKeys ? (string[])[ApiKeyHandler.SchemeName] : [])];

    public static AuthSchemes From(IConfiguration configuration) => new(
        configuration.GetSection(BearerSection).Exists(),
        configuration.GetSection($"{AuthOptions.SectionName}:ApiKeys").GetChildren().Any());
}
