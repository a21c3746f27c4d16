using System.Collections.Concurrent;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// Writes not yet visible to an index's searcher, by key, newest per key: what makes reads by id
/// realtime. An entry carries the tracking writer's generation once it is in Lucene (0 before);
/// as a refresh listener of the index's searcher manager, it drops the entries the searcher just
/// reopened covers (those applied before the refresh began). An entry replaced meanwhile stays,
/// and a refresh that changed nothing (or failed) drops nothing. <see cref="Drops"/> counts the
/// refreshes that may have dropped entries, so a reader can tell that a state it read outside
/// the map is still current without reading it again.
/// </summary>
internal sealed class StagedWrites<T>(TrackingIndexWriter writer, Func<T, long> generationOf) : ReferenceManager.IRefreshListener
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _entries = new(StringComparer.Ordinal);
    private long _covering;
    private long _drops;

    public int Count => _entries.Count;

    /// <summary>
    /// Goes up before every refresh drops entries: a key absent from the map both when a state was
    /// read and later, with <see cref="Drops"/> unchanged in between, was not written meanwhile.
    /// </summary>
    public long Drops => Interlocked.Read(ref _drops);

    public void Put(string key, T entry) => _entries[key] = entry;

    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T entry) => _entries.TryGetValue(key, out entry);

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    public void BeforeRefresh()
    {
        // Every operation that returned a generation below the current one completed before this
        // point, so the reader opened next sees it.
        Volatile.Write(ref _covering, writer.Generation - 1);
    }

    public void AfterRefresh(bool didRefresh)
    {
        if (!didRefresh)
        {
            // Nothing new to see, or a refresh that failed: the searcher is the one before.
            return;
        }

        var covering = Volatile.Read(ref _covering);
        Interlocked.Increment(ref _drops);
        foreach (var entry in _entries)
        {
            var generation = generationOf(entry.Value);
            if (generation != 0 && generation <= covering)
            {
                _entries.TryRemove(entry);
            }
        }
    }
}
