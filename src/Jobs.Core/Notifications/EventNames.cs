using Jobs.Core.Jobs;

namespace Jobs.Core.Notifications;

/// <summary>
/// The event names a subscription listens for (execute <c>notifications[].event</c>, a
/// subscription's <c>events</c>), case-insensitive: <c>*</c> (everything), a status in either
/// vocabulary (the job reached it: <c>created</c>, <c>status</c>, <c>dismissed</c> and
/// <c>corrected</c> events), <c>PROGRESS</c> and <c>STALLED</c>.
/// </summary>
public static class EventNames
{
    public const string Any = "*";
    public const string Progress = "PROGRESS";
    public const string Stalled = "STALLED";

    public static bool IsKnown(string? name) =>
        name is not null && (name == Any
            || name.Equals(Progress, StringComparison.OrdinalIgnoreCase)
            || name.Equals(Stalled, StringComparison.OrdinalIgnoreCase)
            || JobStatuses.TryParse(name.ToLowerInvariant(), out _));

    /// <summary>What an unknown name is told.</summary>
    public const string Expected = "must be *, PROGRESS, STALLED or a status (accepted, submitted, running, successful, succeeded, failed, dismissed)";

    public static bool Matches(IReadOnlyList<string> names, OutboxEvent e) => names.Any(n => Matches(n, e));

    public static bool Matches(string name, OutboxEvent e)
    {
        if (name == Any)
        {
            return true;
        }

        if (name.Equals(Progress, StringComparison.OrdinalIgnoreCase))
        {
            return e.Type == JobEventTypes.Progress;
        }

        if (name.Equals(Stalled, StringComparison.OrdinalIgnoreCase))
        {
            return e.Type == JobEventTypes.Stalled;
        }

        return e.Type is JobEventTypes.Created or JobEventTypes.Status or JobEventTypes.Dismissed or JobEventTypes.Corrected
            && JobStatuses.TryParse(name.ToLowerInvariant(), out var status) && e.Job.Status == status;
    }
}
