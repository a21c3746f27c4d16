using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Jobs.Core.Updates;

namespace Jobs.Cli.Updates;

/// <summary><c>POST /jobs/{id}/updates</c> on the Jobs API (single machine, or when no queue is in between).</summary>
public sealed class ApiDestination(HttpClient http, Uri baseUrl) : IUpdateDestination
{
    public string Name => $"the API at {baseUrl}";

    public async Task<DeliveryResult> SendAsync(UpdateMessage message, byte[] body, CancellationToken cancellationToken)
    {
        var url = new Uri(baseUrl.ToString().TrimEnd('/') + "/jobs/" + Uri.EscapeDataString(message.JobId) + "/updates");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(url, content, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Transient($"cannot reach {baseUrl}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Transient($"{baseUrl} did not answer in time");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var (outcome, reason, jobStatus) = ReadOutcome(text);
                var detail = $"stored by the API: {outcome}{(reason is null ? "" : $" ({reason})")}";
                return jobStatus == "dismissed" ? DeliveryResult.Dismissed(detail) : DeliveryResult.Delivered(detail);
            }

            var problem = Client.ProblemText.Describe(text);
            var status = $"{code} {response.ReasonPhrase}";
            return response.StatusCode switch
            {
                HttpStatusCode.BadRequest => DeliveryResult.Rejected($"the API refused the message ({status}): {problem}",
                    "correct the options named above"),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => DeliveryResult.Rejected($"the API refused the token ({status}): {problem}",
                    "pass the job's update token (the updateToken returned when the job was created) with --token or JOBS_UPDATE_TOKEN"),
                HttpStatusCode.NotFound => DeliveryResult.Rejected($"no such job at {baseUrl} ({status}): {problem}",
                    "check --job-id / JOBS_JOB_ID and that --api-url / JOBS_API_URL is the service that created the job"),
                HttpStatusCode.RequestEntityTooLarge => DeliveryResult.Rejected($"the message is too large ({status})",
                    $"send fewer or shorter outputs or a shorter message (at most {UpdateMessage.MaxBytes / 1024} KiB)"),
                HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => DeliveryResult.Transient($"{status}: {problem}", RetryAfter(response)),
                _ when code >= 500 => DeliveryResult.Transient($"{status}: {problem}", RetryAfter(response)),
                _ => DeliveryResult.Rejected($"the API answered {status}: {problem}", "check --api-url / JOBS_API_URL"),
            };
        }
    }

    private static (string Outcome, string? Reason, string? JobStatus) ReadOutcome(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return (Text("outcome") ?? "accepted", Text("reason"), Text("jobStatus"));
        }
        catch (JsonException)
        {
            return ("accepted", null, null);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta
        ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
}
