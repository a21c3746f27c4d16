using Jobs.Core.Jobs;

namespace Jobs.Core.Updates;

/// <summary>
/// An update message on its way into a store, with what the transport knows about it.
/// </summary>
/// <param name="Message">The validated message.</param>
/// <param name="Source">Where it came from (see <see cref="EventSources"/>).</param>
public sealed record JobUpdate(UpdateMessage Message, string Source)
{
    /// <summary>
    /// Skip the update-token check: set only for the API's own dismiss and for legacy messages
    /// the operator chose to trust (<c>Jobs__Updates__AcceptLegacy=true</c>).
    /// </summary>
    public bool Trusted { get; init; }

    /// <summary>
    /// When the job does not exist, create it from this document first (a legacy
    /// <c>submitted</c> message for an unknown id). Null: an unknown job is
    /// <see cref="UpdateOutcomeKind.JobNotFound"/>.
    /// </summary>
    public JobDocument? CreateIfMissing { get; init; }
}

/// <summary>What happened to one update.</summary>
public enum UpdateOutcomeKind
{
    /// <summary>Stored; at least part of it took effect.</summary>
    Applied,

    /// <summary>Stored in the history, but a newer event or a terminal status won (rank rule).</summary>
    Superseded,

    /// <summary>This update id was applied before; nothing changed.</summary>
    Duplicate,

    /// <summary>Refused for good (bad token, invalid); recorded in the job's history when the job exists.</summary>
    Rejected,

    /// <summary>No job with this id (yet): may succeed later if the job's creation is still on its way.</summary>
    JobNotFound,

    /// <summary>The store could not take it this time (conflict, throttling): send it again.</summary>
    Retry,
}

/// <summary>The result of one update of a batch, in the batch's order.</summary>
public sealed record UpdateResult(string UpdateId, string JobId, UpdateOutcomeKind Outcome, string? Reason = null)
{
    /// <summary>True when the update is safely stored (or was before): the sender may forget it.</summary>
    public bool IsDone => Outcome is UpdateOutcomeKind.Applied or UpdateOutcomeKind.Superseded or UpdateOutcomeKind.Duplicate;
}
