using Lucene.Net.Documents;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// Reuses the Lucene fields of one writer's documents, as Lucene recommends: a fresh
/// <see cref="StringField"/> or numeric field builds a new token stream (attribute source,
/// attribute lookups under a process-wide lock) for every value it indexes, a reused one resets
/// its own. Fields are handed out per name in order and reused from the next document on, so a
/// document holds exactly the fields and values it would with new instances. Not thread-safe:
/// one pool per builder, and a document must be indexed before the next one is built.
/// </summary>
internal sealed class FieldPool
{
    private readonly Dictionary<string, Slots> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slots> _storedStrings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slots> _longs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slots> _doubles = new(StringComparer.Ordinal);
    private int _generation;

    /// <summary>Starts a new document: every field may be handed out again.</summary>
    public void Reset() => _generation++;

    /// <summary>An indexed, not stored, untokenized string field (like <c>new StringField(name, value, Store.NO)</c>).</summary>
    public Field String(string name, string value) => Take(_strings, name, value, static (n, v) => new StringField(n, v, Field.Store.NO), static (f, v) => f.SetStringValue(v));

    /// <summary>Like <c>new StringField(name, value, Store.YES)</c>.</summary>
    public Field StoredString(string name, string value) => Take(_storedStrings, name, value, static (n, v) => new StringField(n, v, Field.Store.YES), static (f, v) => f.SetStringValue(v));

    /// <summary>Like <c>new Int64Field(name, value, Store.NO)</c>, with the step of <see cref="NumericTrie"/>.</summary>
    public Field Int64(string name, long value) => Take(_longs, name, value, static (n, v) => new Int64Field(n, v, NumericTrie.Int64), static (f, v) => f.SetInt64Value(v));

    /// <summary>Like <c>new DoubleField(name, value, Store.NO)</c>, with the step of <see cref="NumericTrie"/>.</summary>
    public Field Double(string name, double value) => Take(_doubles, name, value, static (n, v) => new DoubleField(n, v, NumericTrie.Double), static (f, v) => f.SetDoubleValue(v));

    private Field Take<T>(Dictionary<string, Slots> pool, string name, T value, Func<string, T, Field> create, Action<Field, T> set)
    {
        if (!pool.TryGetValue(name, out var slots))
        {
            pool[name] = slots = new Slots();
        }

        if (slots.Generation != _generation)
        {
            slots.Generation = _generation;
            slots.Used = 0;
        }

        if (slots.Used < slots.Fields.Count)
        {
            var field = slots.Fields[slots.Used++];
            set(field, value);
            return field;
        }

        var created = create(name, value);
        slots.Fields.Add(created);
        slots.Used++;
        return created;
    }

    private sealed class Slots
    {
        public List<Field> Fields { get; } = [];

        public int Used { get; set; }

        public int Generation { get; set; } = -1;
    }
}
