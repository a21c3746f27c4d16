using System.Net;
using Jobs.Api.Http;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Identity;

/// <summary>
/// With no authentication configured, the anonymous administrator may only call from this
/// machine: a request from any other address is refused with 403 naming the settings that let
/// it in. A request without a remote address (in-process hosts, Unix sockets) is local. A
/// request that a proxy forwarded (<c>Forwarded</c>, <c>X-Forwarded-For</c>: a reverse proxy on
/// this machine, the Lambda Web Adapter behind API Gateway) is not, whatever its address.
/// </summary>
public sealed class LoopbackGuard(RequestDelegate next, AuthSchemes schemes, IOptions<AuthOptions> options)
{
    public const string Detail =
        "No authentication is configured, so only callers on this machine (loopback) are served, as the administrator. "
        + "To serve other addresses, configure JWT bearer tokens (Authentication:Schemes:Bearer:Authority and ValidAudiences, "
        + "e.g. Authentication__Schemes__Bearer__Authority) or API keys (Jobs:Auth:ApiKeys), "
        + "or set Jobs:Auth:AllowAnonymousRemote=true to let anyone in as the administrator.";

    public Task InvokeAsync(HttpContext context)
    {
        var forwarded = context.Request.Headers.ContainsKey("Forwarded") || context.Request.Headers.ContainsKey("X-Forwarded-For");
        if (!schemes.IsLocal || options.Value.AllowAnonymousRemote || (!forwarded && IsLoopback(context.Connection.RemoteIpAddress)))
        {
            return next(context);
        }

        return Refusals.WriteAsync(context, StatusCodes.Status403Forbidden, ProblemTypes.RemoteAnonymous, "security_exception",
            "Anonymous access from another machine", Detail);
    }

    public static bool IsLoopback(IPAddress? address) =>
        address is null || IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
