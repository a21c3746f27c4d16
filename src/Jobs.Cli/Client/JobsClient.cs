using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Cli.Config;

namespace Jobs.Cli.Client;

/// <summary>
/// The Jobs API over HTTP for the user's commands: adds the credential, reads JSON, and turns an
/// error answer (problem details) into a <see cref="CliException"/> with the exit code it means.
/// </summary>
public sealed class JobsClient : IDisposable
{
    private readonly HttpClient _http;

    public JobsClient(CliContext context, Connection connection)
    {
        Connection = connection;
        _http = new HttpClient(context.HttpHandler ?? new SocketsHttpHandler(), disposeHandler: context.HttpHandler is null)
        {
            BaseAddress = new Uri(connection.ApiUrl.ToString().TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(100),
        };
        _http.DefaultRequestHeaders.Authorization = connection.Authorization;
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("jobsctl", typeof(JobsClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public Connection Connection { get; }

    public async Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Get, path, null, null, cancellationToken)).Body ?? new JsonObject();

    /// <param name="path">Relative to the API's URL, without a leading slash (<c>jobs/…</c>).</param>
    /// <param name="body">A JSON body, or null.</param>
    /// <param name="headers">Extra request headers (Idempotency-Key).</param>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Transient, $"cannot reach the API at {Connection.ApiUrl} ({e.Message}); is it running? (start one with 'dotnet run --project src/Jobs.Api', or pass --api-url / JOBS_API_URL)");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Transient, $"the API at {Connection.ApiUrl} did not answer {method} /{path} in time");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(method, path, response, text);
            }

            JsonNode? json = null;
            if (text.Length > 0)
            {
                try
                {
                    json = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    throw new CliException(ExitCodes.Transient, $"{method} /{path}: the API answered {(int)response.StatusCode} with a body that is not JSON; is {Connection.ApiUrl} a Jobs API?");
                }
            }

            return new ApiResponse(response.StatusCode, response.Headers, json);
        }
    }

    /// <summary>
    /// Opens a Server-Sent Events stream (<c>Accept: text/event-stream</c>, resuming after
    /// <paramref name="lastEventId"/>); null when the API has none there (404, 405, 501, or an
    /// answer that is not an event stream: an API from before streams, a store without events).
    /// </summary>
    public async Task<EventStream?> OpenEventStreamAsync(string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        HttpResponseMessage response;
        try
        {
            // Headers only: the body is the stream, read as events arrive.
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Transient, $"cannot reach the API at {Connection.ApiUrl} ({e.Message}); is it running?");
        }

        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented
            || (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType != "text/event-stream"))
        {
            response.Dispose();
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw Failure(HttpMethod.Get, path, response, await response.Content.ReadAsStringAsync(cancellationToken));
            }
        }

        return new EventStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>An open event stream: its body, and the response it belongs to (both closed together).</summary>
    public sealed class EventStream(HttpResponseMessage response, Stream body) : IDisposable
    {
        public Stream Body => body;

        public void Dispose()
        {
            body.Dispose();
            response.Dispose();
        }
    }

    /// <summary>Downloads <paramref name="url"/> (an output) to <paramref name="file"/>; the API's credential is sent only to the API's own host.</summary>
    public async Task DownloadAsync(Uri url, string file, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var plain = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        var client = SameOrigin(url, Connection.ApiUrl) ? _http : plain;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Transient, $"cannot download {url}: {e.Message}");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException((int)response.StatusCode >= 500 ? ExitCodes.Transient : ExitCodes.Rejected,
                    $"cannot download {url}: {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            await using var target = File.Create(file);
            await response.Content.CopyToAsync(target, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.GetLeftPart(UriPartial.Authority), b.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private CliException Failure(HttpMethod method, string path, HttpResponseMessage response, string text)
    {
        var code = (int)response.StatusCode;
        var detail = ProblemText.Describe(text);
        var what = $"{method} /{path.TrimStart('/')}: {code} {response.ReasonPhrase}{(detail.Length > 0 ? ": " + detail : "")}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CliException(ExitCodes.NoPermission,
                $"{what}. The API wants a credential: run 'jobsctl login --api-url {Connection.ApiUrl} --access-token …' (or --api-key), or set JOBS_TOKEN / JOBS_API_KEY"),
            HttpStatusCode.Forbidden => new CliException(ExitCodes.NoPermission, $"{what}"),
            HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => new CliException(ExitCodes.Transient, $"{what}; try again later"),
            _ when code >= 500 && response.StatusCode != HttpStatusCode.NotImplemented => new CliException(ExitCodes.Transient, $"{what}; try again later"),
            _ => new CliException(ExitCodes.Rejected, what),
        };
    }
}
