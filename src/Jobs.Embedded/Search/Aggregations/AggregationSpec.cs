using System.Text.Json.Nodes;
using Jobs.Embedded.Search.Dsl;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>A parsed aggregation: its name, <c>meta</c> and sub-aggregations; one record per type.</summary>
internal abstract record AggregationSpec(string Name)
{
    public JsonNode? Meta { get; init; }

    public IReadOnlyList<AggregationSpec> SubAggregations { get; init; } = [];
}

/// <summary>
/// One sort key of a bucket aggregation: <c>_count</c>, <c>_key</c>, or a path to a metric of a
/// sub-aggregation (<c>avg_duration</c>, <c>stats.max</c>).
/// </summary>
internal sealed record BucketOrder(string Path, bool Descending)
{
    public bool ByKey => Path is "_key" or "_term";

    public bool ByCount => Path == "_count";
}

internal sealed record TermsSpec(
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
internal sealed record DateHistogramSpec(
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

internal sealed record FilterSpec(string Name, QueryNode Filter) : AggregationSpec(Name);

/// <summary><c>filters</c>: named (keyed, sorted by name) or anonymous filters, and the optional other bucket.</summary>
internal sealed record FiltersSpec(
    string Name,
    IReadOnlyList<(string Key, QueryNode Filter)> Filters,
    bool Named,
    bool Keyed,
    string? OtherBucketKey) : AggregationSpec(Name);

/// <summary>The metric aggregations: <c>value_count</c>, <c>cardinality</c>, <c>min</c>, <c>max</c>, <c>avg</c>, <c>sum</c>, <c>stats</c>.</summary>
internal sealed record MetricSpec(string Name, string Type, string Field, JsonValue? Missing, string? Format) : AggregationSpec(Name);
