namespace Jobs.Hosting.Health;

/// <summary>
/// The tags that decide which endpoint runs a health check: register a check with
/// <see cref="Ready"/> to make <c>GET /health</c> depend on it, with <see cref="Live"/> for
/// <c>GET /health/live</c> (which must not depend on anything outside the process).
/// </summary>
public static class HealthTags
{
    /// <summary>Checks of what serving requests needs (the store); <c>GET /health</c>.</summary>
    public const string Ready = "ready";

    /// <summary>Checks that the process itself answers; <c>GET /health/live</c>.</summary>
    public const string Live = "live";
}
