using Jobs.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Identity;

/// <summary>
/// What an unauthorized request gets: 401 with one <c>WWW-Authenticate</c> per configured scheme
/// when credentials are missing or invalid, 403 when the caller lacks the administrator role or,
/// with no scheme configured, calls from another machine (there is no credential it could send) —
/// each with a body that says what to do (problem details, or Elasticsearch's error shape).
/// </summary>
public sealed class AccessRefusals(AuthSchemes schemes, IOptions<AuthOptions> options) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Succeeded)
        {
            await next(context);
            return;
        }

        if (result.Challenged && schemes.IsLocal)
        {
            // Only a caller from another machine is unauthenticated here (LocalCallerHandler).
            await Refusals.WriteAsync(context, StatusCodes.Status403Forbidden, ProblemTypes.RemoteAnonymous, "security_exception",
                "Anonymous access from another machine", LocalCallerHandler.RemoteRefusedDetail);
            return;
        }

        if (result.Challenged)
        {
            foreach (var scheme in schemes.Names)
            {
                await context.ChallengeAsync(scheme);
            }

            var failure = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure?.Message;
            var detail = (failure is null ? "This request needs credentials: " : $"The credentials were refused ({failure}). Send ")
                + string.Join(" or ", schemes.Names.Select(s => s == ApiKeyHandler.SchemeName ? "Authorization: ApiKey <key>" : "Authorization: Bearer <token>"))
                + ".";
            await Refusals.WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemTypes.Unauthenticated, "security_exception",
                "Authentication required", detail);
            return;
        }

        var caller = Caller.From(context);
        await Refusals.WriteAsync(context, StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "security_exception",
            "Administrator role required",
            $"User '{caller.UserId}' lacks the role '{options.Value.AdminRole}' (claim '{options.Value.RolesClaim}'), which this request needs.");
    }
}
