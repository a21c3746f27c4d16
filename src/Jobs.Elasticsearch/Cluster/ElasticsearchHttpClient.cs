using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Dtos;
using Microsoft.Extensions.Options;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Jobs.Elasticsearch.Cluster;

/// <summary>
/// The wire: one method per Elasticsearch endpoint the adapter uses, with its exact path, query
/// string, body and content type. It knows nothing of jobs. Every request is a low-level call of
/// the official client's transport (<see cref="ElasticsearchClient.Transport"/>) with plain
/// <c>application/json</c> (or <c>application/x-ndjson</c>) both ways, which Elasticsearch 8 and
/// 9 and OpenSearch 2 all speak; bodies go out as given. The node pool, node failover,
/// authentication, TLS and the retries of one node are the transport's and its invoker's
/// (<see cref="ClusterConnection"/>). A request no node answered becomes
/// <see cref="StoreUnavailableException"/>; every HTTP answer is returned as it came, for the
/// caller to judge.
/// </summary>
internal sealed class ElasticsearchHttpClient(ElasticsearchClient client, IOptions<ElasticsearchOptions> options)
{
    private readonly ITransport _transport = client.Transport;

    private readonly RequestConfiguration _json = new() { Accept = ClusterConnection.Json, ContentType = ClusterConnection.Json };

    private readonly RequestConfiguration _ndjson = new() { Accept = ClusterConnection.Json, ContentType = "application/x-ndjson" };

    /// <summary>
    /// One attempt on one node: its time limit is a single attempt's, which is what keys the
    /// invoker's handler chain without retries (<see cref="ClusterConnection"/>).
    /// </summary>
    private readonly RequestConfiguration _probe = new()
    {
        Accept = ClusterConnection.Json,
        ContentType = ClusterConnection.Json,
        RequestTimeout = options.Value.RequestTimeout,
        MaxRetries = 0,
    };

    /// <summary>The cluster's node URLs, for messages.</summary>
    public string BaseAddress { get; } = string.Join(", ", client.ElasticsearchClientSettings.NodePool.Nodes.Select(n => n.Uri));

    /// <summary><c>GET /</c></summary>
    public Task<EsResponse> InfoAsync(CancellationToken cancellationToken, bool retry = true) =>
        SendAsync(HttpMethod.GET, "", null, cancellationToken, retry);

    /// <summary><c>GET /{index}/_mapping</c></summary>
    public Task<EsResponse> GetMappingAsync(string index, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.GET, $"{Escape(index)}/_mapping", null, cancellationToken);

    /// <summary><c>PUT /{index}</c> with settings, mappings and aliases.</summary>
    public Task<EsResponse> CreateIndexAsync(string index, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.PUT, Escape(index), Json(body), cancellationToken);

    /// <summary><c>PUT /{index}/_mapping</c>: adds fields to an existing index.</summary>
    public Task<EsResponse> PutMappingAsync(string index, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.PUT, $"{Escape(index)}/_mapping", Json(body), cancellationToken);

    /// <summary><c>DELETE /{index}</c> (test clean-up).</summary>
    public Task<EsResponse> DeleteIndexAsync(string index, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.DELETE, Escape(index), null, cancellationToken);

    /// <summary><c>POST /{index}/_refresh</c></summary>
    public Task<EsResponse> RefreshAsync(string index, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.POST, $"{Escape(index)}/_refresh", null, cancellationToken);

    /// <summary><c>PUT /{index}/_doc/{id}?op_type=create&amp;refresh=…</c>: 201, or 409 when the id exists.</summary>
    public Task<EsResponse> CreateDocumentAsync(string index, string id, byte[] source, Refresh refresh, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.PUT, $"{Escape(index)}/_doc/{Escape(id)}?op_type=create&refresh={refresh.ToQueryValue()}",
            source, cancellationToken);

    /// <summary><c>PUT /{index}/_doc/{id}?refresh=…</c>: writes the document, replacing any.</summary>
    public Task<EsResponse> IndexDocumentAsync(string index, string id, byte[] source, Refresh refresh, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.PUT, $"{Escape(index)}/_doc/{Escape(id)}?refresh={refresh.ToQueryValue()}", source, cancellationToken);

    /// <summary><c>GET /{index}/_doc/{id}</c> (realtime).</summary>
    public Task<EsResponse> GetDocumentAsync(string index, string id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.GET, $"{Escape(index)}/_doc/{Escape(id)}", null, cancellationToken);

    /// <summary><c>DELETE /{index}/_doc/{id}?refresh=…</c>: 200, or 404 when there is no such document.</summary>
    public Task<EsResponse> DeleteDocumentAsync(string index, string id, Refresh refresh, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.DELETE, $"{Escape(index)}/_doc/{Escape(id)}?refresh={refresh.ToQueryValue()}", null, cancellationToken);

    /// <summary><c>POST /{index}/_mget</c> <c>{"ids":[…]}</c> (realtime).</summary>
    public Task<EsResponse> MultiGetAsync(string index, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.POST, $"{Escape(index)}/_mget",
            JsonSerializer.SerializeToUtf8Bytes(new Dtos.MultiGetRequest(ids), EsJsonContext.Default.MultiGetRequest),
            cancellationToken);

    /// <summary><c>POST /{index}/_search</c></summary>
    public Task<EsResponse> SearchAsync(string index, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.POST, $"{Escape(index)}/_search", Json(body), cancellationToken);

    /// <summary><c>POST /{index}/_count</c>, without a body when there is no query.</summary>
    public Task<EsResponse> CountAsync(string index, JsonObject? body, CancellationToken cancellationToken, bool retry = true) =>
        SendAsync(HttpMethod.POST, $"{Escape(index)}/_count", body is null ? null : Json(body), cancellationToken, retry);

    /// <summary><c>POST /{index}/_delete_by_query?refresh=true&amp;conflicts=proceed</c></summary>
    public Task<EsResponse> DeleteByQueryAsync(string index, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.POST, $"{Escape(index)}/_delete_by_query?refresh=true&conflicts=proceed", Json(body), cancellationToken);

    /// <summary>
    /// <c>POST /_bulk?refresh=false</c> (NDJSON). Operations are sent in bodies of at most
    /// <see cref="ElasticsearchOptions.MaxBulkBytes"/>, in order; the item results come back in
    /// the operations' order. An answer other than 200 throws <see cref="StoreUnavailableException"/>
    /// (after the retries): item failures are the caller's to judge.
    /// </summary>
    public async Task<IReadOnlyList<BulkItemResult>> BulkAsync(IReadOnlyList<BulkOperation> operations, CancellationToken cancellationToken)
    {
        var results = new List<BulkItemResult>(operations.Count);
        foreach (var chunk in Split(operations, options.Value.MaxBulkBytes))
        {
            var body = new ArrayBufferWriter<byte>();
            foreach (var operation in chunk)
            {
                operation.WriteTo(body);
            }

            var response = await SendAsync(HttpMethod.POST, "_bulk?refresh=false", body.WrittenSpan.ToArray(), cancellationToken, ndjson: true);
            if (response.Status == 413)
            {
                throw new StoreUnavailableException(
                    $"{response.Describe()}: the cluster takes smaller bodies; lower Jobs__Elasticsearch__MaxBulkBytes (now {options.Value.MaxBulkBytes}).");
            }

            if (response.Status != 200)
            {
                throw response.Unexpected("Writing a batch");
            }

            var bulk = response.Read(EsJsonContext.Default.BulkResponse);
            if (bulk.Items.Count != chunk.Count || bulk.Items.Any(i => i.Count != 1))
            {
                throw new StoreUnavailableException($"{response.Request} answered {bulk.Items.Count} items for {chunk.Count} actions.");
            }

            results.AddRange(bulk.Items.Select(i => i.Values.Single()));
        }

        return results;
    }

    internal static IEnumerable<List<BulkOperation>> Split(IReadOnlyList<BulkOperation> operations, int maxBytes)
    {
        var chunk = new List<BulkOperation>();
        var size = 0;
        foreach (var operation in operations)
        {
            if (chunk.Count > 0 && size + operation.ApproximateSize > maxBytes)
            {
                yield return chunk;
                chunk = [];
                size = 0;
            }

            chunk.Add(operation);
            size += operation.ApproximateSize;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private async Task<EsResponse> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken, bool retry = true, bool ndjson = false)
    {
        var verb = method.ToString();
        BytesResponse response;
        try
        {
            response = await _transport.RequestAsync<BytesResponse>(
                new EndpointPath(method, path),
                body is null ? null : PostData.Bytes(body),
                null,
                !retry ? _probe : ndjson ? _ndjson : _json,
                cancellationToken);
        }
        catch (UnexpectedTransportException e)
        {
            // Also how a cancellation from inside the handler chain can surface.
            cancellationToken.ThrowIfCancellationRequested();
            throw Unreachable(verb, path, e);
        }

        if (response.ApiCallDetails.HttpStatusCode is not { } status)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Unreachable(verb, path, response.ApiCallDetails.OriginalException);
        }

        return new EsResponse(verb, path, status, response.Body);
    }

    private StoreUnavailableException Unreachable(string method, string path, Exception? e)
    {
        // The transport wraps what happened (a refused connection, a time-out) in its own exceptions.
        var cause = e;
        while (cause is TransportException or UnexpectedTransportException && cause.InnerException is not null)
        {
            cause = cause.InnerException;
        }

        return new StoreUnavailableException($"Elasticsearch at {BaseAddress} could not be reached ({method} /{path}): {cause?.Message ?? "no answer"}", e);
    }

    private static byte[] Json(JsonObject body) => JsonSerializer.SerializeToUtf8Bytes(body, JsonObjectContext.Default.JsonObject);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}

/// <summary>The <c>refresh</c> parameter of a write.</summary>
internal enum Refresh
{
    /// <summary>Visible to search after the next periodic refresh (production writes).</summary>
    False,

    /// <summary>Block until visible to search (the rare registry writes, tests).</summary>
    WaitFor,
}

internal static class RefreshExtensions
{
    public static string ToQueryValue(this Refresh refresh) => refresh == Refresh.WaitFor ? "wait_for" : "false";
}
