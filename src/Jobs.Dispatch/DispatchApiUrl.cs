namespace Jobs.Dispatch;

/// <summary>
/// The API's base URL as the workflow should call it: <see cref="DispatchOptions.ApiUrl"/>, else
/// the one given (the URL the execute request came in on, for remote backends), else what the
/// host says it listens on (asked when needed: the address is known only once the server has started).
/// </summary>
public sealed class DispatchApiUrl(string? configured, Func<string?> listening)
{
    public string? Get(string? fromRequest = null) => (configured ?? fromRequest ?? listening())?.TrimEnd('/');
}
