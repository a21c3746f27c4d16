using System.Text.Json.Nodes;

namespace Jobs.Core.Search;

/// <summary>
/// A search request that Elasticsearch would refuse, or that a store does not support. Carries
/// the Elasticsearch error type (<c>parsing_exception</c>, <c>illegal_argument_exception</c>, …)
/// and renders Elasticsearch's error body.
/// </summary>
public sealed class SearchException(string type, string reason, int status = 400) : Exception(reason)
{
    public string Type { get; } = type;

    public string Reason { get; } = reason;

    public int Status { get; } = status;

    /// <summary>
    /// The engine's own error body (<c>{"error":{…},"status":…}</c>) when the error came from an
    /// Elasticsearch cluster: <see cref="ToResponse"/> then returns it unchanged, root causes included.
    /// </summary>
    public JsonObject? Body { get; init; }

    /// <summary>
    /// Set when the request is valid Elasticsearch but names a construct this store does not run
    /// (<see cref="Unsupported"/>): the search model then keeps that part as an opaque node, so a
    /// store that runs it (Elasticsearch) still receives it.
    /// </summary>
    public string? UnsupportedConstruct { get; init; }

    public static SearchException Parsing(string reason) => new("parsing_exception", reason);

    public static SearchException IllegalArgument(string reason) => new("illegal_argument_exception", reason);

    /// <summary>A construct this store does not implement: refused by name, never answered wrongly.</summary>
    public static SearchException Unsupported(string construct) =>
        new("parsing_exception", $"[{construct}] is not supported by this store") { UnsupportedConstruct = construct };

    /// <summary><c>{"error":{"root_cause":[…],"type":…,"reason":…},"status":…}</c></summary>
    public JsonObject ToResponse() => Body?.DeepClone().AsObject() ?? new()
    {
        ["error"] = new JsonObject
        {
            ["root_cause"] = new JsonArray(new JsonObject { ["type"] = Type, ["reason"] = Reason }),
            ["type"] = Type,
            ["reason"] = Reason,
        },
        ["status"] = Status,
    };
}
