using Jobs.Core.Jobs;

namespace Jobs.Core.Storage;

/// <summary>
/// One page of a job's history, oldest first (<see cref="Merging.EventOrder"/>). <see cref="Next"/>:
/// the opaque cursor of the following page, null on the last one.
/// </summary>
public sealed record HistoryPage(IReadOnlyList<JobEvent> Events, string? Next);
