using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Jobs.Api.Http;

/// <summary>
/// The base URL this API listens on, as a process on the same machine reaches it (a wildcard
/// host becomes <c>localhost</c>): what a locally dispatched workflow is given to report to.
/// </summary>
public static class ListeningUrl
{
    public static string? Of(IServiceProvider services)
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase)).FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
        {
            first = first.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return first;
    }
}
