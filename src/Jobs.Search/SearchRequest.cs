using System.Text.Json.Nodes;
using Jobs.Search.Aggregations;
using Jobs.Search.Queries;
using Jobs.Search.Sorting;

namespace Jobs.Search;

/// <summary>
/// A parsed <c>_search</c> body. Parts the model runs are parsed (query, paging, sort,
/// <c>_source</c>, aggregations); the other valid top-level options are kept as written in
/// <see cref="Options"/>, so Elasticsearch receives them and the embedded store refuses them by name.
/// </summary>
public sealed record SearchRequest
{
    public const int DefaultSize = 10;
    public const int DefaultTrackTotalHitsUpTo = 10_000;

    /// <summary>The body as the caller wrote it.</summary>
    public required JsonObject Json { get; init; }

    public QueryNode Query { get; init; } = new MatchAllNode();

    /// <summary>True when the body named a query (the writer then sends the parsed one in its place).</summary>
    public bool HasQuery { get; init; }

    public int From { get; init; }

    public int Size { get; init; } = DefaultSize;

    public SortSpec Sort { get; init; } = SortSpec.Relevance;

    /// <summary>The last hit's <c>sort</c> values, as written (checked against the sort by the store).</summary>
    public JsonNode? SearchAfter { get; init; }

    public SourceFilter Source { get; init; } = SourceFilter.All;

    /// <summary>Null: no total; <see cref="int.MaxValue"/>: exact.</summary>
    public int? TrackTotalHitsUpTo { get; init; } = DefaultTrackTotalHitsUpTo;

    public bool TrackScores { get; init; }

    /// <summary><c>timeout</c> as written (<c>"500ms"</c>, <c>"2s"</c>).</summary>
    public string? Timeout { get; init; }

    public IReadOnlyList<AggregationSpec> Aggregations { get; init; } = [];

    /// <summary>Every other top-level option, in body order.</summary>
    public IReadOnlyList<RequestOption> Options { get; init; } = [];
}

/// <summary>A top-level option the model does not run itself.</summary>
public abstract record RequestOption(string Key, JsonNode? Value);

/// <summary>
/// <c>suggest</c>, <c>pit</c>, <c>knn</c>, <c>highlight</c>, <c>collapse</c>, <c>rescore</c>,
/// <c>min_score</c>, … : kept verbatim.
/// </summary>
public sealed record OpaqueOption(string Key, JsonNode? Value) : RequestOption(Key, Value);

/// <summary><c>post_filter</c>: a query applied to the hits after aggregations.</summary>
public sealed record PostFilterOption(QueryNode Filter, JsonNode? Value) : RequestOption("post_filter", Value);

/// <summary><c>fields</c>, <c>docvalue_fields</c>, <c>stored_fields</c>: field names or patterns to return.</summary>
public sealed record FieldListOption(string Key, IReadOnlyList<string> Patterns, JsonNode? Value) : RequestOption(Key, Value);

/// <summary><c>script_fields</c> and <c>runtime_mappings</c>: fields computed by scripts.</summary>
public sealed record ScriptOption(string Key, JsonNode? Value) : RequestOption(Key, Value);

/// <summary>A parsed <c>_count</c> body: a query and, kept verbatim, <c>min_score</c> / <c>terminate_after</c>.</summary>
public sealed record CountRequest
{
    public required JsonObject Json { get; init; }

    public QueryNode Query { get; init; } = new MatchAllNode();

    public bool HasQuery { get; init; }

    public IReadOnlyList<RequestOption> Options { get; init; } = [];
}
