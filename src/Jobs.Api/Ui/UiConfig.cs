using System.Text.Json.Serialization;

namespace Jobs.Api.Ui;

/// <summary>How the page signs callers in: <c>local</c> (nobody signs in) or <c>signed-in</c>, with API keys and/or the provider.</summary>
public sealed record UiConfig(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("apiKeys")] bool ApiKeys,
    [property: JsonPropertyName("oidc")] UiOidc? Oidc);

/// <summary>The provider the page signs in with: issuer, public client id, scopes, which token to send.</summary>
public sealed record UiOidc(
    [property: JsonPropertyName("authority")] string Authority,
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("token")] string Token);
