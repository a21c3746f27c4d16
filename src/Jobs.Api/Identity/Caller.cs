using System.Security.Claims;
using Jobs.Core.Jobs;
using Jobs.Core.Search;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Identity;

/// <summary>
/// Who is calling, as every surface sees it: the user id recorded on the jobs they create and
/// the one their searches are scoped to, and whether they are an administrator (who sees every
/// job and may deploy). Built from the authenticated principal by <see cref="From(HttpContext)"/>;
/// every endpoint, whatever its surface, asks for the caller this way.
/// </summary>
public sealed record Caller(string UserId, bool IsAdmin)
{
    /// <summary>The caller of the current request (the principal's user claim and roles).</summary>
    public static Caller From(HttpContext context) =>
        From(context.User, context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value);

    public static Caller From(ClaimsPrincipal principal, AuthOptions options)
    {
        var user = principal.FindFirst(options.UserClaim)?.Value;
        if (principal.Identity is not { IsAuthenticated: true } || string.IsNullOrEmpty(user))
        {
            // Authorization lets no unauthenticated caller reach an endpoint that asks; this is
            // the caller of the anonymous ones (updates, health): nobody, with no rights.
            return new Caller("", IsAdmin: false);
        }

        return new Caller(user, principal.FindAll(options.RolesClaim).Any(c => c.Value == options.AdminRole));
    }

    /// <summary>The ownership rule of every surface: administrators see every job, users their own.</summary>
    public bool CanSee(JobDocument job) => IsAdmin || (UserId.Length > 0 && job.UserId == UserId);

    /// <summary>The caller as the search policy sees it (a non-admin's query is scoped to their jobs).</summary>
    public SearchCaller ToSearchCaller() => IsAdmin ? SearchCaller.Admin : new SearchCaller(UserId, IsAdmin: false);
}
