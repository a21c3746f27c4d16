using Jobs.Api.Identity;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Http;

/// <summary>Per-request helpers the endpoints share: links, the caller, the clock.</summary>
public sealed class RequestContext(IHttpContextAccessor accessor, IOptions<Jobs.Api.ApiOptions> options, TimeProvider clock)
{
    private HttpContext Http => accessor.HttpContext ?? throw new InvalidOperationException("No current request.");

    public Jobs.Api.ApiOptions Options => options.Value;

    public Ogc.LinkBuilder Links => new(Http.Request, options.Value.PublicBaseUrl);

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Who is calling (the authenticated principal; see <see cref="Identity.Caller"/>).</summary>
    public Caller Caller => Caller.From(Http);

    /// <summary>The one job lookup, ownership included (<see cref="JobLookup"/>).</summary>
    public JobLookup Lookup => Http.RequestServices.GetRequiredService<JobLookup>();

    /// <summary>The user id recorded on the jobs the caller creates: always the principal's, never a body field.</summary>
    public string UserId => Caller.UserId;

    /// <summary>Who searches: a non-admin caller's searches are scoped to their own jobs.</summary>
    public Core.Search.SearchCaller SearchCaller => Caller.ToSearchCaller();
}
