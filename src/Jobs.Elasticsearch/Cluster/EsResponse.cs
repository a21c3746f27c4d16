using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Jobs.Core.Storage;

namespace Jobs.Elasticsearch.Cluster;

/// <summary>One answer of the cluster: status and body, with the request it answers for messages.</summary>
internal sealed class EsResponse(string method, string path, int status, byte[] body)
{
    public int Status { get; } = status;

    public byte[] Body { get; } = body;

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The request, as <c>METHOD /path?query</c>.</summary>
    public string Request { get; } = $"{method} /{path}";

    public ElasticsearchError? Error => ElasticsearchError.FromBody(Body);

    public T Read<T>(JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(Body, type) ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            throw new StoreUnavailableException($"{Request} answered {Status} with a body that is not what Elasticsearch sends: {e.Message}", e);
        }
    }

    public JsonObject ReadObject()
    {
        try
        {
            return Jobs.Core.Json.JobsJson.ParseNode(Body) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new StoreUnavailableException($"{Request} answered {Status} with a body that is not a JSON object: {e.Message}", e);
        }
    }

    /// <summary>A store outage (or misconfiguration) for an answer the adapter cannot use.</summary>
    public StoreUnavailableException Unexpected(string what) => new($"{what} failed: {Describe()}");

    /// <summary><c>PUT /jobs/_doc/1 answered 403 (security_exception: …)</c></summary>
    public string Describe()
    {
        var error = Error;
        var detail = error is not null ? error.ToString()
            : Body.Length == 0 ? "no body"
            : Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300));
        return $"{Request} answered {Status} ({detail})";
    }
}
