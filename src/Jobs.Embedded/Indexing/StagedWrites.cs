using System.Collections.Concurrent;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// Writes not yet visible to an index's searcher, by key, newest per key: what makes reads by id
/// realtime. An entry carries the tracking writer's generation once it is in Lucene (0 before);
/// as a refresh listener of the index's searcher manager, it drops the entries the searcher just
/// reopened covers (those applied before the refresh began). An entry replaced meanwhile stays,
/// and a refresh that changed nothing (or failed) drops nothing.
/// </summary>
internal sealed class StagedWrites<T>(TrackingIndexWriter writer, Func<T, long> generationOf) : ReferenceManager.IRefreshListener
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _entries = new(StringComparer.Ordinal);
    private long _covering;

    public int Count => _entries.Count;

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
