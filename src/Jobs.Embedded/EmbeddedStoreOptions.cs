using System.ComponentModel.DataAnnotations;

namespace Jobs.Embedded;

/// <summary>
/// Settings of the embedded store (section <c>Jobs:Embedded</c>, environment <c>Jobs__Embedded__…</c>):
/// <code>
/// "Jobs": { "Embedded": { "DataPath": "./data", "CheckpointSeconds": 30 } }
/// </code>
/// </summary>
public sealed class EmbeddedStoreOptions
{
    public const string SectionName = "Jobs:Embedded";

    /// <summary>Where the index, the write-ahead log and the process registry live; relative paths are taken from the current directory.</summary>
    [Required]
    public string DataPath { get; set; } = "./data";

    /// <summary>How often the index is committed and covered write-ahead log segments are deleted.</summary>
    [Range(1, 86_400)]
    public int CheckpointSeconds { get; set; } = 30;

    /// <summary>A checkpoint also starts once this many bytes were logged since the last one.</summary>
    [Range(1 << 20, long.MaxValue)]
    public long CheckpointBytes { get; set; } = 256L << 20;

    /// <summary>The write-ahead log starts a new segment file past this size.</summary>
    [Range(1 << 16, long.MaxValue)]
    public long SegmentBytes { get; set; } = 64L << 20;

    /// <summary>
    /// How many writes may wait to become searchable (per index) before a writer waits for the
    /// index to reopen: it bounds the memory that read-your-writes holds, whatever the corpus.
    /// </summary>
    [Range(100, 1_000_000)]
    public int MaxStagedWrites { get; set; } = 10_000;

    /// <summary>
    /// How long the outbox keeps a change (hours; 0 keeps every change). Older changes are
    /// deleted once the notification dispatcher has handled them; live streams resuming from an
    /// older event start at the oldest one kept.
    /// </summary>
    [Range(0, 87_600)]
    public int OutboxRetentionHours { get; set; } = 168;

    /// <summary>
    /// Lucene's indexing buffer of the jobs index: past it the buffered documents are written out
    /// as a segment. The events index gets a quarter of it and the outbox an eighth.
    /// </summary>
    [Range(4, 2_048)]
    public int IndexBufferMiB { get; set; } = 64;

    /// <summary>
    /// Bytes appended to the write-ahead log and not yet being written past which a writer waits
    /// for the log's flusher (back-pressure on a burst of writers, instead of a growing buffer).
    /// </summary>
    [Range(1 << 20, 1L << 32)]
    public long MaxPendingLogBytes { get; set; } = 32L << 20;

    /// <summary>The bounds of every search (bound from its own section, <c>Jobs:Search</c>).</summary>
    public Jobs.Search.Limits.SearchLimits Search { get; set; } = new();
}
