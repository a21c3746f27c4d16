namespace Jobs.Api.Identity;

/// <summary>
/// Who the callers are (section <c>Jobs:Auth</c>). JWT bearer tokens are configured separately, in
/// ASP.NET Core's own <c>Authentication:Schemes:Bearer</c> section; API keys here.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Jobs:Auth";

    /// <summary>The claim naming the user (<c>sub</c>; e.g. <c>cognito:username</c>, <c>email</c>).</summary>
    public string UserClaim { get; set; } = "sub";

    /// <summary>The claim carrying the roles (<c>roles</c>; <c>cognito:groups</c> for Amazon Cognito). A JSON array gives one role per item.</summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>The role of administrators: they see every job and may deploy and undeploy processes.</summary>
    public string AdminRole { get; set; } = "jobs-admin";

    /// <summary>
    /// With no scheme configured, also let callers from other addresses in as the anonymous
    /// administrator (otherwise only loopback callers are). Logged as a warning at start.
    /// </summary>
    public bool AllowAnonymousRemote { get; set; }

    /// <summary>API keys (<c>Authorization: ApiKey &lt;key&gt;</c>); only their SHA-256 is configured.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];
}

/// <summary>One API key: <c>Jobs:Auth:ApiKeys:{n}:{Name,User,Roles,Sha256}</c>.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>What the key is for (shown in logs, never a secret).</summary>
    public string Name { get; set; } = "";

    /// <summary>The user the key acts as (recorded as the <c>user-id</c> of the jobs it creates).</summary>
    public string User { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    /// <summary>Lowercase hex SHA-256 of the key's UTF-8 text.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>
    /// <see cref="Sha256"/> decoded once (the options are validated at start-up to be 64 hex
    /// digits), so authenticating a request decodes nothing.
    /// </summary>
    internal byte[] HashBytes => field ??= Convert.FromHexString(Sha256);
}
