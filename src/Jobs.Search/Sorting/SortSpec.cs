using System.Text.Json.Nodes;

namespace Jobs.Search.Sorting;

/// <summary>
/// A parsed <c>sort</c>: its keys as written, in order. Empty means by relevance (no explicit
/// sort). Whether a field can be sorted on, and how, is the store's business: the mapping lives
/// there (Elasticsearch raises those errors on the shard).
/// </summary>
public sealed record SortSpec(IReadOnlyList<SortKey> Keys)
{
    public static SortSpec Relevance { get; } = new([]);

    /// <summary>The request named a sort (hits then carry their <c>sort</c> values).</summary>
    public bool IsExplicit => Keys.Count > 0;
}

/// <summary>One key of a sort; <see cref="Options"/> is its value as written.</summary>
public abstract record SortKey(string Name)
{
    public JsonNode? Options { get; init; }
}

/// <summary>
/// <c>"field"</c>, <c>{"field":"desc"}</c> or <c>{"field":{"order":…,"missing":…,"mode":…,"unmapped_type":…}}</c>
/// (<c>_score</c> and <c>_doc</c> included). <paramref name="Unsupported"/> names an option no store
/// builder here runs (<c>sort.numeric_type</c>, <c>sort.nested</c>, …), kept for Elasticsearch.
/// </summary>
public sealed record FieldSortKey(
    string Name,
    string? Order,
    string? Missing,
    string? Mode,
    string? UnmappedType,
    string? Unsupported) : SortKey(Name);

/// <summary><c>{"_script":{…}}</c>: a sort computed by a script.</summary>
public sealed record ScriptSortKey() : SortKey("_script");

/// <summary><c>_geo_distance</c> and other computed sorts the model keeps opaque.</summary>
public sealed record OpaqueSortKey(string Name) : SortKey(Name);
