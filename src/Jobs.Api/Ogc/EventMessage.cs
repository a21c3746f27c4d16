using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Notifications;

namespace Jobs.Api.Ogc;

/// <summary>
/// The JSON of one job event as the live streams' <c>data:</c> line and the webhook deliveries
/// carry it (docs/architecture.md, "Events out"): the type, the job id, the change's time, the
/// job's OGC status, progress and message after it, and its whole statusInfo.
/// </summary>
public static class EventMessage
{
    public static JsonObject Render(OutboxEvent e, LinkBuilder links, JsonSerializerOptions json)
    {
        var job = e.Job;
        return new JsonObject
        {
            ["type"] = e.Type,
            ["jobID"] = e.JobId,
            ["time"] = Core.Json.UtcTimestampJsonConverter.ToText(e.Time),
            ["status"] = job.Status.ToOgcValue(),
            ["progress"] = job.Progress,
            ["message"] = job.Message,
            ["job"] = JsonSerializer.SerializeToNode(StatusInfoMapper.ToStatusInfo(job, links, detailed: true), json),
        };
    }
}
