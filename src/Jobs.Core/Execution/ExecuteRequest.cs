using System.Text.Json;

namespace Jobs.Core.Execution;

/// <summary>How one output should be delivered.</summary>
public sealed record OutputRequest(string? TransmissionMode, JsonElement? Format);

/// <summary>Callback URIs of an execute request (OGC class Callback).</summary>
public sealed record Subscriber(string? SuccessUri, string? InProgressUri, string? FailedUri);

/// <summary>
/// An execute request, normalised to the OGC 1.0 model whichever encoding it came in
/// (docs/architecture.md, "HTTP API"): the seed / WPS-T draft form with arrays of <c>{id, data}</c>, or the
/// OGC 1.0 form with id-keyed maps.
/// </summary>
public sealed record ExecuteRequest
{
    /// <summary>Input id -> value (several values of one input become an array).</summary>
    public required IReadOnlyDictionary<string, JsonElement> Inputs { get; init; }

    /// <summary>Requested outputs; empty means all.</summary>
    public required IReadOnlyDictionary<string, OutputRequest> Outputs { get; init; }

    /// <summary><c>raw</c> (the OGC default) or <c>document</c>.</summary>
    public string Response { get; init; } = "raw";

    /// <summary>The seed's <c>mode</c> (<c>async</c>, <c>sync</c>, <c>auto</c>), if sent.</summary>
    public string? Mode { get; init; }

    public Subscriber? Subscriber { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Subscriptions to create with the job (<c>notifications</c>).</summary>
    public IReadOnlyList<NotificationRequest> Notifications { get; init; } = [];

    /// <summary>The settings kept with the job (the <c>request</c> field): everything but inputs and labels.</summary>
    public JsonElement ToStoredRequest()
    {
        var outputs = Outputs.ToDictionary(
            kv => kv.Key,
            kv => new Dictionary<string, object?>
            {
                ["transmissionMode"] = kv.Value.TransmissionMode,
                ["format"] = kv.Value.Format,
            }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));
        var stored = new Dictionary<string, object?>
        {
            ["mode"] = Mode,
            ["response"] = Response,
            ["outputs"] = outputs,
        };
        if (Subscriber is { } s)
        {
            stored["subscriber"] = new Dictionary<string, string?>
            {
                ["successUri"] = s.SuccessUri,
                ["inProgressUri"] = s.InProgressUri,
                ["failedUri"] = s.FailedUri,
            }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
        }

        return JsonSerializer.SerializeToElement(stored.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));
    }
}
