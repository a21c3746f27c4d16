using System.Net;
using System.Net.Http.Headers;
using Jobs.Core.Notifications;

namespace Jobs.Dispatch.Remote;

/// <summary>
/// <c>Jobs:Dispatch:Mode=webhook</c>: POSTs the payload to <see cref="DispatchOptions.Url"/> signed
/// as every webhook of this service is (<see cref="WebhookSignature"/>), with
/// <c>Jobs-Event-Id: dispatch-&lt;job id&gt;</c>. 2xx is taken; 408, 429, 5xx and no answer are tried again;
/// another 4xx is a refusal for good.
/// </summary>
public sealed class WebhookTransport(HttpClient http, Uri url, string secret, TimeProvider time) : IDispatchTransport
{
    public string Name => $"webhook {url.GetLeftPart(UriPartial.Path)}";

    public async Task SendAsync(string jobId, byte[] payload, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, time.GetUtcNow(), payload));
        request.Headers.TryAddWithoutValidation(WebhookSignature.EventIdHeader, $"dispatch-{jobId}");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new DispatchException($"cannot reach {Name}: {e.Message}", transient: true, e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            var transient = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            throw new DispatchException($"{Name} answered {status} {response.ReasonPhrase}", transient);
        }
    }
}
