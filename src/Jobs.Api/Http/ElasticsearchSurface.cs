namespace Jobs.Api.Http;

/// <summary>
/// Endpoint metadata of the Elasticsearch-compatible surfaces: refusals made before the endpoint
/// runs (authentication, authorization, content type, rate limits) answer in Elasticsearch's
/// error shape there, so Elasticsearch clients can read them, and as problem details elsewhere.
/// </summary>
public sealed class ElasticsearchSurface
{
    public static ElasticsearchSurface Instance { get; } = new();

    private ElasticsearchSurface()
    {
    }
}
