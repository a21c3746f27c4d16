using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Identity;

/// <summary>
/// <c>Authorization: ApiKey &lt;key&gt;</c>, Elasticsearch's form. The configuration holds only each
/// key's SHA-256; the presented key is hashed and compared with every configured hash in
/// constant time, so neither the key nor the position of a match leaks through timing.
/// </summary>
public sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string Prefix = SchemeName + " ";

    /// <summary>The key's configured form: lowercase hex SHA-256 of its UTF-8 text.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Whether the request carries an API key (the policy scheme sends it here).</summary>
    public static bool IsPresented(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Prefix.Length..].Trim()));
        ApiKeyEntry? match = null;
        foreach (var entry in auth.Value.ApiKeys)
        {
            // Every entry is compared (no early exit).
            if (CryptographicOperations.FixedTimeEquals(presented, entry.HashBytes) && match is null)
            {
                match = entry;
            }
        }

        if (match is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var options = auth.Value;
        var claims = new List<Claim> { new(options.UserClaim, match.User), new("api-key", match.Name) };
        claims.AddRange(match.Roles.Select(r => new Claim(options.RolesClaim, r)));
        var identity = new ClaimsIdentity(claims, SchemeName, options.UserClaim, options.RolesClaim);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append("WWW-Authenticate", SchemeName);
        return Task.CompletedTask;
    }
}
