using System.Text.Json;
using Jobs.Core.Jobs;

namespace Jobs.Api.Endpoints;

/// <summary>
/// Renders a successful job's outputs as OGC 1.0 asks, keyed on the original request's
/// <c>response</c> and <c>transmissionMode</c> (kept in the job's <c>request</c> field):
/// <c>document</c> -> 200 results document (references as <c>{"href"}</c> links);
/// <c>raw</c> with every output by reference -> 204 with one Link header per output;
/// <c>raw</c> with one output by value -> 200 with that value. Jobs hold output URLs, not
/// payloads, so <c>raw</c> with several value outputs answers the results document instead of
/// <c>multipart/related</c>.
/// </summary>
internal static class JobResults
{
    public static IResult Render(JobDocument job, HttpResponse response)
    {
        var request = job.Request;
        var mode = request is { } r && r.TryGetProperty("response", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "raw";
        var outputs = job.Outputs;

        string Transmission(string id) =>
            request is { } req && req.TryGetProperty("outputs", out var o) && o.ValueKind == JsonValueKind.Object
            && o.TryGetProperty(id, out var spec) && spec.TryGetProperty("transmissionMode", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()!
                : outputs[id].ValueKind == JsonValueKind.String ? "reference" : "value";

        if (mode == "raw" && outputs.Count > 0 && outputs.All(kv => Transmission(kv.Key) == "reference" && kv.Value.ValueKind == JsonValueKind.String))
        {
            foreach (var (id, value) in outputs)
            {
                response.Headers.Append("Link", $"<{value.GetString()}>; rel=\"related\"; title=\"{id}\"");
            }

            return TypedResults.NoContent();
        }

        if (mode == "raw" && outputs.Count == 1 && Transmission(outputs.Keys.First()) == "value")
        {
            return TypedResults.Json(outputs.Values.First());
        }

        var document = outputs.ToDictionary(
            kv => kv.Key,
            kv => Transmission(kv.Key) == "reference" && kv.Value.ValueKind == JsonValueKind.String
                ? JsonSerializer.SerializeToElement(new Dictionary<string, string?> { ["href"] = kv.Value.GetString() })
                : kv.Value);
        return TypedResults.Ok(document);
    }
}
