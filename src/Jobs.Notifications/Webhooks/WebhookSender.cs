using System.Net.Http.Headers;
using System.Text;
using Jobs.Core.Notifications;
using Jobs.Notifications.Dispatching;

namespace Jobs.Notifications.Webhooks;

/// <summary>
/// POSTs a delivery's body, signed (<see cref="WebhookSignature"/>), through a client whose every
/// connection passes the SSRF guard (<see cref="GuardedConnector"/>), with a short timeout and at
/// most three redirects; reads at most <c>MaxResponseBytes</c> of the answer for the log.
/// 2xx is delivered; 410 Gone and a refused address fail for good; anything else is tried again.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly NotificationOptions _options;
    private readonly TimeProvider _time;

    public WebhookSender(NotificationOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var connector = new GuardedConnector(options.AllowedHosts);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = connector.ConnectAsync,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, options.TimeoutSeconds)),
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
            MaxResponseHeadersLength = 16,
            UseProxy = false, // a proxy would connect for us, past the guard
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Jobs-Notifications/1");
    }

    public async Task<SendResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, _time.GetUtcNow(), body));
        request.Headers.TryAddWithoutValidation(WebhookSignature.EventIdHeader, delivery.EventId);
        request.Headers.TryAddWithoutValidation("Jobs-Event-Type", delivery.EventType);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return SendResult.Ok(status);
            }

            var answer = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
            var error = $"HTTP {status} {response.ReasonPhrase}" + (answer.Length > 0 ? $": {answer}" : "");
            return new SendResult(false, status, error, Permanent: status == 410);
        }
        catch (HttpRequestException e) when (Find<RefusedTargetException>(e) is { } refused)
        {
            return new SendResult(false, null, "refused: " + refused.Message, Permanent: true);
        }
        catch (HttpRequestException e)
        {
            return new SendResult(false, null, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(false, null, $"no answer within {_options.TimeoutSeconds} s");
        }
    }

    private async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[_options.MaxResponseBytes];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false) is > 0 and var n)
        {
            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read).Trim();
    }

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    public void Dispose() => _client.Dispose();
}
