namespace Jobs.Dispatch;

/// <summary>
/// The API's base URL as the workflow should call it: <see cref="DispatchOptions.ApiUrl"/>, else
/// what the host says it listens on (asked when first needed: the address is known only once
/// the server has started).
/// </summary>
public sealed class DispatchApiUrl(string? configured, Func<string?> listening)
{
    public string? Get() => (configured ?? listening())?.TrimEnd('/');
}
