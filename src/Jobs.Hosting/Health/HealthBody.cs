using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs.Hosting.Health;

/// <summary>
/// The one wire format of <c>GET /health</c> and <c>GET /health/live</c> on every host:
/// <c>{"status":"healthy"|"degraded"|"unhealthy","checks":{"store":{"status":…,"description":…}}}</c>.
/// The overall status is the worst of the checks; unhealthy answers 503, the others 200.
/// </summary>
public sealed record HealthBody(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("checks")] IReadOnlyDictionary<string, HealthCheckBody> Checks)
{
    /// <summary>Serializer settings of the body, fixed here so that no host's JSON options change it.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static HealthBody From(HealthReport report) => new(
        Wire(report.Status),
        report.Entries.ToDictionary(e => e.Key, e => new HealthCheckBody(Wire(e.Value.Status), e.Value.Description ?? e.Value.Exception?.Message)));

    /// <summary>The wire value of a status: the enum's name in lower case.</summary>
    public static string Wire(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

/// <summary>One check's status and its explanation (null when the check gives none).</summary>
public sealed record HealthCheckBody(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("description")] string? Description);
