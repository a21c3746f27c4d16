using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Dtos;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Jobs.Elasticsearch.Transport;

/// <summary>
/// The wire: one method per Elasticsearch endpoint the adapter uses, with its exact path, query
/// string, body and content type (<c>shared/reference/elasticsearch-http.md</c>). It knows
/// nothing of jobs. Retries, authentication and TLS are the handlers' business
/// (<see cref="ElasticsearchServiceCollectionExtensions"/>). A connection failure that outlasts the
/// retries becomes <see cref="StoreUnavailableException"/>; every HTTP answer is returned as it
/// came, for the caller to judge.
/// </summary>
internal sealed class ElasticsearchHttpClient(HttpClient http, IOptions<ElasticsearchOptions> options)
{
    /// <summary>Set on a request that must not be retried (health probes answer fast instead).</summary>
    public static readonly HttpRequestOptionsKey<bool> NoRetry = new("Jobs.Elasticsearch.NoRetry");

    public Uri? BaseAddress => http.BaseAddress;

    /// <summary><c>GET /</c></summary>
    public Task<EsResponse> InfoAsync(CancellationToken cancellationToken, bool retry = true) =>
        SendAsync(HttpMethod.Get, "", null, cancellationToken, retry);

    /// <summary><c>GET /{index}/_mapping</c></summary>
    public Task<EsResponse> GetMappingAsync(string index, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{Escape(index)}/_mapping", null, cancellationToken);

    /// <summary><c>PUT /{index}</c> with settings, mappings and aliases.</summary>
    public Task<EsResponse> CreateIndexAsync(string index, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, Escape(index), JsonContent(body), cancellationToken);

    /// <summary><c>DELETE /{index}</c> (test clean-up).</summary>
    public Task<EsResponse> DeleteIndexAsync(string index, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, Escape(index), null, cancellationToken);

    /// <summary><c>POST /{index}/_refresh</c></summary>
    public Task<EsResponse> RefreshAsync(string index, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{Escape(index)}/_refresh", null, cancellationToken);

    /// <summary><c>PUT /{index}/_doc/{id}?op_type=create&amp;refresh=…</c>: 201, or 409 when the id exists.</summary>
    public Task<EsResponse> CreateDocumentAsync(string index, string id, byte[] source, Refresh refresh, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"{Escape(index)}/_doc/{Escape(id)}?op_type=create&refresh={refresh.ToQueryValue()}",
            JsonContent(source), cancellationToken);

    /// <summary><c>GET /{index}/_doc/{id}</c> (realtime).</summary>
    public Task<EsResponse> GetDocumentAsync(string index, string id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{Escape(index)}/_doc/{Escape(id)}", null, cancellationToken);

    /// <summary><c>DELETE /{index}/_doc/{id}?refresh=…</c>: 200, or 404 when there is no such document.</summary>
    public Task<EsResponse> DeleteDocumentAsync(string index, string id, Refresh refresh, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"{Escape(index)}/_doc/{Escape(id)}?refresh={refresh.ToQueryValue()}", null, cancellationToken);

    /// <summary><c>POST /{index}/_mget</c> <c>{"ids":[…]}</c> (realtime).</summary>
    public Task<EsResponse> MultiGetAsync(string index, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{Escape(index)}/_mget",
            JsonContent(JsonSerializer.SerializeToUtf8Bytes(new MultiGetRequest(ids), EsJsonContext.Default.MultiGetRequest)),
            cancellationToken);

    /// <summary><c>POST /{index}/_search</c></summary>
    public Task<EsResponse> SearchAsync(string index, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{Escape(index)}/_search", JsonContent(body), cancellationToken);

    /// <summary><c>POST /{index}/_count</c>, without a body when there is no query.</summary>
    public Task<EsResponse> CountAsync(string index, JsonObject? body, CancellationToken cancellationToken, bool retry = true) =>
        SendAsync(HttpMethod.Post, $"{Escape(index)}/_count", body is null ? null : JsonContent(body), cancellationToken, retry);

    /// <summary><c>POST /{index}/_delete_by_query?refresh=true&amp;conflicts=proceed</c></summary>
    public Task<EsResponse> DeleteByQueryAsync(string index, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{Escape(index)}/_delete_by_query?refresh=true&conflicts=proceed", JsonContent(body), cancellationToken);

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

            var content = new ByteArrayContent(body.WrittenSpan.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            var response = await SendAsync(HttpMethod.Post, "_bulk?refresh=false", content, cancellationToken);
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

    private async Task<EsResponse> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, bool retry = true)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (!retry)
        {
            request.Options.Set(NoRetry, true);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new EsResponse(method.Method, path, (int)response.StatusCode, body);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is HttpRequestException or TimeoutRejectedException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            throw new StoreUnavailableException($"Elasticsearch at {http.BaseAddress} could not be reached ({method} /{path}): {e.Message}", e);
        }
    }

    private static ByteArrayContent JsonContent(JsonObject body) =>
        JsonContent(JsonSerializer.SerializeToUtf8Bytes(body, JsonObjectContext.Default.JsonObject));

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

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
