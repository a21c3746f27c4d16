using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Identity;

/// <summary>
/// The single-machine default, used only when no scheme is configured: every caller that reaches
/// the endpoints is the anonymous administrator. <see cref="LoopbackGuard"/> has already refused
/// callers from other addresses (unless <c>Jobs:Auth:AllowAnonymousRemote</c>).
/// </summary>
public sealed class LocalCallerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth,
    IOptions<ApiOptions> api)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Local";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var options = auth.Value;
        var identity = new ClaimsIdentity(
            [new Claim(options.UserClaim, api.Value.AnonymousUser), new Claim(options.RolesClaim, options.AdminRole)],
            SchemeName, options.UserClaim, options.RolesClaim);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
