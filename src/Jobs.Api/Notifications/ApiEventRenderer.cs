using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Api.Ogc;
using Jobs.Core.Notifications;
using Jobs.Notifications;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Notifications;

/// <summary>
/// Delivery bodies as the API renders jobs: the event envelope of the live streams plus the
/// subscription id, an OGC statusInfo, or an OGC results document. Links use
/// <c>Jobs:Api:PublicBaseUrl</c>, else the address the host listens on.
/// </summary>
internal sealed class ApiEventRenderer(IOptions<ApiOptions> api, IOptions<JsonOptions> json, IServer server) : IEventRenderer
{
    private LinkBuilder Links => new(api.Value.PublicBaseUrl is { Length: > 0 } configured
        ? configured
        : server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5001");

    public string JobUrl(string jobId) => Links.Url($"/jobs/{LinkBuilder.Escape(jobId)}");

    public string Render(OutboxEvent e, DeliveryStyle style, string subscriptionId)
    {
        var options = json.Value.SerializerOptions;
        var links = Links;
        JsonNode body = style switch
        {
            DeliveryStyle.OgcStatusInfo => JsonSerializer.SerializeToNode(StatusInfoMapper.ToStatusInfo(e.Job, links, detailed: true), options)!,
            DeliveryStyle.OgcResults => ResultsDocument(e),
            _ => WithSubscription(EventMessage.Render(e, links, options), subscriptionId, e),
        };
        return body.ToJsonString(options);
    }

    private static JsonObject WithSubscription(JsonObject message, string subscriptionId, OutboxEvent e)
    {
        message["id"] = e.Id;
        message["subscription"] = subscriptionId;
        return message;
    }

    /// <summary>The results document of OGC API - Processes (outputs by reference as <c>{"href"}</c>).</summary>
    private static JsonObject ResultsDocument(OutboxEvent e)
    {
        var document = new JsonObject();
        foreach (var (id, value) in e.Job.Outputs)
        {
            document[id] = value.ValueKind == JsonValueKind.String
                ? new JsonObject { ["href"] = value.GetString() }
                : JsonNode.Parse(value.GetRawText());
        }

        return document;
    }
}
