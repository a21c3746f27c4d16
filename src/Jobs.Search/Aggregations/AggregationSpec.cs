using System.Text.Json.Nodes;
using Jobs.Search.Queries;

namespace Jobs.Search.Aggregations;

/// <summary>A parsed aggregation: its name, <c>meta</c> and sub-aggregations; one record per type.</summary>
public abstract record AggregationSpec(string Name)
{
    public JsonNode? Meta { get; init; }

    public IReadOnlyList<AggregationSpec> SubAggregations { get; init; } = [];
}

/// <summary>
/// One sort key of a bucket aggregation: <c>_count</c>, <c>_key</c>, or a path to a metric of a
/// sub-aggregation (<c>avg_duration</c>, <c>stats.max</c>).
/// </summary>
public sealed record BucketOrder(string Path, bool Descending)
{
    public bool ByKey => Path is "_key" or "_term";

    public bool ByCount => Path == "_count";
}

public sealed record TermsSpec(
    string Name,
    string Field,
    int Size,
    int? ShardSize,
    IReadOnlyList<BucketOrder> Order,
    long MinDocCount,
    JsonValue? Missing) : AggregationSpec(Name);

/// <summary>
/// <c>date_histogram</c>: a calendar unit (<c>CalendarUnit</c>: y q M w d h m) or a fixed
/// interval in milliseconds, shifted by <c>Offset</c>, in <c>TimeZone</c>; extended bounds as
/// written (dates or date math, resolved when the search runs).
/// </summary>
public sealed record DateHistogramSpec(
    string Name,
    string Field,
    char? CalendarUnit,
    long FixedMillis,
    long Offset,
    TimeZoneInfo TimeZone,
    string? Format,
    long MinDocCount,
    JsonValue? ExtendedMin,
    JsonValue? ExtendedMax,
    bool Keyed,
    IReadOnlyList<BucketOrder> Order,
    JsonValue? Missing) : AggregationSpec(Name);

public sealed record FilterSpec(string Name, QueryNode Filter) : AggregationSpec(Name);

/// <summary><c>filters</c>: named (keyed, sorted by name) or anonymous filters, and the optional other bucket.</summary>
public sealed record FiltersSpec(
    string Name,
    IReadOnlyList<(string Key, QueryNode Filter)> Filters,
    bool Named,
    bool Keyed,
    string? OtherBucketKey) : AggregationSpec(Name);

/// <summary>The metric aggregations: <c>value_count</c>, <c>cardinality</c>, <c>min</c>, <c>max</c>, <c>avg</c>, <c>sum</c>, <c>stats</c>.</summary>
public sealed record MetricSpec(string Name, string Type, string Field, JsonValue? Missing, string? Format) : AggregationSpec(Name);

/// <summary>
/// A valid aggregation the model does not parse further (a type or an option no builder here
/// runs): its body kept verbatim, <paramref name="Construct"/> naming what the embedded store
/// refuses. Its sub-aggregations are parsed as usual.
/// </summary>
public sealed record OpaqueAggregationSpec(string Name, string Type, string Construct, JsonNode? Body) : AggregationSpec(Name);

/// <summary><c>global</c>: a bucket of every document of the index, whatever the query.</summary>
public sealed record GlobalSpec(string Name) : AggregationSpec(Name);

/// <summary>
/// An aggregation that runs a script: <c>scripted_metric</c>, <c>bucket_script</c>,
/// <c>bucket_selector</c>, or a values-source aggregation given a <c>script</c> instead of a field.
/// </summary>
public sealed record ScriptAggregationSpec(string Name, string Type) : AggregationSpec(Name);
