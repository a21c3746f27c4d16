using System.Globalization;
using Jobs.Core.Jobs;

namespace Jobs.Core.Notifications;

/// <summary>
/// One entry of the store's outbox: a job change, written in the same durable step as the change
/// itself. On the embedded store <see cref="Sequence"/> is store-wide and increases with every
/// change (the order changes became durable), so "everything after cursor N" is a complete,
/// ordered read. On the Elasticsearch store it numbers the job's own events (1, 2, …) and
/// <see cref="Id"/> is <c>&lt;job id&gt;:&lt;n&gt;</c>.
/// </summary>
/// <param name="Sequence">The store-wide position (the cursor streams and consumers keep), or the job's own event number.</param>
/// <param name="Type">One of <see cref="JobEventTypes"/>.</param>
/// <param name="JobId">The job changed.</param>
/// <param name="Time">When the store made the change.</param>
/// <param name="Job">The job as the change left it.</param>
public sealed record OutboxEvent(long Sequence, string Type, string JobId, DateTimeOffset Time, JobDocument Job)
{
    private readonly string? _id;

    /// <summary>
    /// The event's stable id (<c>Jobs-Event-Id</c>, <c>${EVENT_ID}</c>, a delivery's key): the
    /// cursor on a store-wide sequence, <c>&lt;job id&gt;:&lt;n&gt;</c> where events are numbered per job.
    /// The same event always has the same id, so a receiver can drop a duplicate.
    /// </summary>
    public string Id
    {
        get => _id ?? Cursor;
        init => _id = value;
    }

    /// <summary>The cursor as the wire carries it (SSE <c>id:</c>, <c>Jobs-Event-Id</c>).</summary>
    public string Cursor => Sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a cursor back; false for anything that is not one.</summary>
    public static bool TryParseCursor(string? text, out long sequence) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out sequence) && sequence >= 0;
}
