namespace Jobs.Core.Notifications;

/// <summary>
/// The types of the events a job change produces (the outbox, the live streams' <c>event:</c>
/// field, deliveries; docs/architecture.md, "Events out"). One change gives at most one event:
/// the first of these that describes it.
/// </summary>
public static class JobEventTypes
{
    public const string Created = "created";
    public const string Corrected = "corrected";
    public const string Dismissed = "dismissed";
    public const string Status = "status";
    public const string Stalled = "stalled";
    public const string Progress = "progress";
    public const string Outputs = "outputs";
    public const string Labels = "labels";

    public static readonly IReadOnlyList<string> All = [Created, Status, Progress, Outputs, Labels, Dismissed, Stalled, Corrected];
}
