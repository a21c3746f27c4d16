namespace Jobs.Notifications.Webhooks;

/// <summary>The SSRF guard refused every address of a target: a permanent failure, never retried.</summary>
public sealed class RefusedTargetException(string message) : Exception(message);
