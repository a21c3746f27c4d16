using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Json;
using Jobs.Core.Processes;

namespace Jobs.Embedded.Storage;

/// <summary>
/// The deployed processes, in memory in deployment order. Changes reach disk through the
/// write-ahead log; a checkpoint writes the whole catalog to a snapshot file (with the log
/// sequence it covers) so the log can be trimmed. Thread-safe.
/// </summary>
internal sealed class ProcessCatalog
{
    private readonly List<ProcessDefinition> _items = [];

    /// <summary>The log sequence the loaded snapshot covered.</summary>
    public long SnapshotSequence { get; private set; }

    public bool Contains(string id, string version)
    {
        lock (_items)
        {
            return _items.Exists(p => p.Id == id && p.Version == version);
        }
    }

    public void Add(ProcessDefinition process)
    {
        lock (_items)
        {
            _items.RemoveAll(p => p.Id == process.Id && p.Version == process.Version);
            _items.Add(process);
        }
    }

    public int Remove(string id, string? version)
    {
        lock (_items)
        {
            return _items.RemoveAll(p => p.Id == id && (version is null || p.Version == version));
        }
    }

    public int Count(string id, string? version)
    {
        lock (_items)
        {
            return _items.Count(p => p.Id == id && (version is null || p.Version == version));
        }
    }

    /// <summary>One version, or the most recently deployed one when <paramref name="version"/> is null.</summary>
    public ProcessDefinition? Get(string id, string? version)
    {
        lock (_items)
        {
            return _items.LastOrDefault(p => p.Id == id && (version is null || p.Version == version));
        }
    }

    public IReadOnlyList<ProcessDefinition> List()
    {
        lock (_items)
        {
            return _items.Select((p, i) => (p, i))
                .OrderBy(x => x.p.Id, StringComparer.Ordinal).ThenBy(x => x.p.Deployed).ThenBy(x => x.i)
                .Select(x => x.p).ToList();
        }
    }

    /// <summary>Applies a log record (replay at startup).</summary>
    public void Replay(WalRecord record)
    {
        switch (record.Kind)
        {
            case WalRecordKind.ProcessDeploy:
                Add(JobsJson.ParseProcess(record.Payload.Span));
                break;
            case WalRecordKind.ProcessUndeploy:
                Remove(record.Key, System.Text.Encoding.UTF8.GetString(record.Payload.Span));
                break;
            case WalRecordKind.ProcessUndeployAll:
                Remove(record.Key, null);
                break;
        }
    }

    /// <summary>Writes the catalog atomically (temporary file, fsync, rename, fsync of the directory).</summary>
    public void WriteSnapshot(string path, long sequence)
    {
        var processes = new JsonArray();
        lock (_items)
        {
            foreach (var p in _items)
            {
                processes.Add(JsonNode.Parse(JobsJson.ToUtf8(p)));
            }
        }

        var snapshot = new JsonObject { ["sequence"] = sequence, ["processes"] = processes };
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                snapshot.WriteTo(writer);
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Fsync(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    public static ProcessCatalog Load(string path)
    {
        var catalog = new ProcessCatalog();
        if (!File.Exists(path))
        {
            return catalog;
        }

        var snapshot = JsonNode.Parse(File.ReadAllBytes(path))!.AsObject();
        catalog.SnapshotSequence = snapshot["sequence"]!.GetValue<long>();
        foreach (var item in snapshot["processes"]!.AsArray())
        {
            catalog.Add(JobsJson.ParseProcess(JsonSerializer.SerializeToUtf8Bytes(item)));
        }

        return catalog;
    }
}
