using Microsoft.Extensions.Options;

namespace Jobs.Api.Http;

/// <summary>Per-request helpers the endpoints share: links, the caller's user id, the clock.</summary>
public sealed class RequestContext(IHttpContextAccessor accessor, IOptions<Jobs.Api.ApiOptions> options, TimeProvider clock)
{
    private HttpContext Http => accessor.HttpContext ?? throw new InvalidOperationException("No current request.");

    public Jobs.Api.ApiOptions Options => options.Value;

    public Ogc.LinkBuilder Links => new(Http.Request, options.Value.PublicBaseUrl);

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The authenticated user's name, or the configured anonymous user.</summary>
    public string UserId => Http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : options.Value.AnonymousUser;

    /// <summary>
    /// Who searches. With no authentication configured (the single-machine default) every caller
    /// is an administrator and sees every job.
    /// </summary>
    public Core.Search.SearchCaller SearchCaller =>
        Http.User.Identity is { IsAuthenticated: true } && !Http.User.IsInRole("admin")
            ? new Core.Search.SearchCaller(UserId, IsAdmin: false)
            : Core.Search.SearchCaller.Admin;
}
