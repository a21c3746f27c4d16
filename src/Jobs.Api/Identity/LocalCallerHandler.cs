using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Identity;

/// <summary>
/// The single-machine default, used only when no scheme is configured: a caller on this machine
/// is the anonymous administrator. A caller from any other address is nobody (unless
/// <c>Jobs:Auth:AllowAnonymousRemote</c>): it reaches only what needs no user (the landing page,
/// <c>/health</c>, a worker's update with the job's token), and <see cref="AccessRefusals"/> refuses
/// it everything else with 403 naming the settings that let it in. A request without a remote
/// address (in-process hosts, Unix sockets) is local. A request that a proxy forwarded
/// (<c>Forwarded</c>, <c>X-Forwarded-For</c>: a reverse proxy on this machine, the Lambda Web
/// Adapter behind API Gateway) is not, whatever its address.
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

    public const string RemoteRefusedDetail =
        "No authentication is configured, so only callers on this machine (loopback) are served, as the administrator. "
        + "To serve other addresses, configure JWT bearer tokens (Authentication:Schemes:Bearer:Authority and ValidAudiences, "
        + "e.g. Authentication__Schemes__Bearer__Authority) or API keys (Jobs:Auth:ApiKeys), "
        + "or set Jobs:Auth:AllowAnonymousRemote=true to let anyone in as the administrator.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var options = auth.Value;
        if (!options.AllowAnonymousRemote && !IsLocal(Context))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity(
            [new Claim(options.UserClaim, api.Value.AnonymousUser), new Claim(options.RolesClaim, options.AdminRole)],
            SchemeName, options.UserClaim, options.RolesClaim);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>Whether the request comes from this machine, not through a proxy.</summary>
    public static bool IsLocal(HttpContext context) =>
        !context.Request.Headers.ContainsKey("Forwarded")
        && !context.Request.Headers.ContainsKey("X-Forwarded-For")
        && IsLoopback(context.Connection.RemoteIpAddress);

    public static bool IsLoopback(IPAddress? address) =>
        address is null || IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
