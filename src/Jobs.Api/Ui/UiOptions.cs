namespace Jobs.Api.Ui;

/// <summary>
/// The jobs page at <c>/ui</c> (section <c>Jobs:Ui</c>). Sign-in with the OpenID Connect provider
/// (authorization code + PKCE, in the browser) is offered when <see cref="OidcClientId"/> is set: a
/// public client registered at the provider with <c>{base}/ui/</c> as its redirect URI.
/// </summary>
public sealed class UiOptions
{
    public const string SectionName = "Jobs:Ui";

    /// <summary>Serve the page (on by default; it holds no data of its own, every call goes through the API's rules).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The provider's issuer URL; empty: the bearer scheme's <c>Authentication:Schemes:Bearer:Authority</c>.</summary>
    public string? OidcAuthority { get; set; }

    /// <summary>The page's client id at the provider (a public client: no secret, PKCE).</summary>
    public string? OidcClientId { get; set; }

    /// <summary>The scopes asked for (<c>openid</c>; add the one that gives the API's audience, if the provider needs it).</summary>
    public string OidcScope { get; set; } = "openid";

    /// <summary>Which token the page sends: <c>access_token</c> (default) or <c>id_token</c> (Cognito ID tokens carry the app client id as audience).</summary>
    public string OidcToken { get; set; } = "access_token";
}
