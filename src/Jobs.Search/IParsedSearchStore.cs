using System.Text.Json.Nodes;

namespace Jobs.Search;

/// <summary>
/// A store that runs this project's parsed model itself (the embedded store). The API checks and
/// scopes a request as a <see cref="SearchRequest"/> (<see cref="Policy.SearchScope"/>) and hands
/// it over as it is, rather than writing it back to JSON for the store to parse a second time. A
/// store without it (Elasticsearch, which parses on the cluster) gets the JSON through
/// <see cref="Core.Storage.IJobStore.SearchAsync"/>; both answer alike.
/// </summary>
public interface IParsedSearchStore
{
    /// <summary>As <see cref="Core.Storage.IJobStore.SearchAsync"/>, for a request already parsed and checked.</summary>
    Task<JsonObject> SearchAsync(SearchRequest request, CancellationToken cancellationToken);

    /// <summary>As <see cref="Core.Storage.IJobStore.CountAsync"/>, for a request already parsed and checked.</summary>
    Task<JsonObject> CountAsync(CountRequest request, CancellationToken cancellationToken);
}
