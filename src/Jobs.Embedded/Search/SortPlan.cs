using System.Globalization;
using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Jobs.Embedded.Search.Dsl;
using Lucene.Net.Sandbox.Queries;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search;

/// <summary>How one sort key reads and writes its values.</summary>
internal enum SortKind
{
    Score,
    Doc,
    Keyword,
    Long,
    Date,
    Double,
}

/// <summary>
/// An Elasticsearch <c>sort</c> as a Lucene <see cref="Sort"/>: <c>_score</c>, <c>_doc</c>,
/// keyword fields (sorted-set doc values; min value for asc, max for desc), integer, double and
/// date fields (numeric doc values). Missing values sort last unless <c>missing: _first</c>.
/// Also converts <c>search_after</c> values in and sort values out.
/// </summary>
internal sealed class SortPlan
{
    /// <summary>The job id: unique, so the tiebreaker that makes <c>search_after</c> paging exact.</summary>
    public const string TiebreakField = "id";

    private SortPlan(Sort sort, SortKind[] kinds, bool explicitSort, bool tiebreak = false)
    {
        Sort = sort;
        Kinds = kinds;
        IsExplicit = explicitSort;
        HasImplicitTiebreak = tiebreak;
    }

    /// <summary>
    /// True when the request's sort did not name <c>id</c> and it was added as the last key (as
    /// Elasticsearch adds <c>_shard_doc</c> to a point-in-time search): hits then carry one more
    /// sort value, and <c>search_after</c> takes either that many values (no job skipped or repeated
    /// between pages) or as many as the request's sort (ties with the last hit skipped, as in
    /// Elasticsearch without a tiebreaker).
    /// </summary>
    public bool HasImplicitTiebreak { get; }

    public Sort Sort { get; }

    public IReadOnlyList<SortKind> Kinds { get; }

    /// <summary>The request named a sort (hits then carry their <c>sort</c> values).</summary>
    public bool IsExplicit { get; }

    /// <summary>True when sorting is by relevance only: scores are reported.</summary>
    public bool IsRelevance => Kinds.Count == 1 && Kinds[0] == SortKind.Score;

    public bool NeedsScores => Kinds.Contains(SortKind.Score);

    public static SortPlan Relevance { get; } = new(Sort.RELEVANCE, [SortKind.Score], false);

    /// <summary>The Lucene sort of a parsed <c>sort</c>, the fields resolved against the mapping.</summary>
    public static SortPlan Build(SortSpec spec, FieldCatalog catalog)
    {
        var fields = new List<SortField>();
        var kinds = new List<SortKind>();
        foreach (var key in spec.Keys)
        {
            if (key is not FieldSortKey field)
            {
                throw SearchException.Unsupported($"{key.Name} sort");
            }

            Add(field, catalog, fields, kinds);
        }

        if (fields.Count == 0)
        {
            return Relevance;
        }

        var tiebreak = !fields.Any(f => f.Field == TiebreakField) && catalog.Get(TiebreakField) is not null;
        if (tiebreak)
        {
            fields.Add(KeywordSort(TiebreakField, descending: false, missingFirst: false, mode: null));
            kinds.Add(SortKind.Keyword);
        }

        return new SortPlan(new Sort([.. fields]), [.. kinds], true, tiebreak);
    }

    private static void Add(FieldSortKey sortKey, FieldCatalog catalog, List<SortField> fields, List<SortKind> kinds)
    {
        if (sortKey.Unsupported is { } construct)
        {
            throw SearchException.Unsupported(construct);
        }

        var (name, order, missing, mode, unmappedType) = (sortKey.Name, sortKey.Order, sortKey.Missing, sortKey.Mode, sortKey.UnmappedType);
        var descending = order switch
        {
            null => name == "_score",
            "asc" or "ASC" => false,
            "desc" or "DESC" => true,
            _ => throw SearchException.IllegalArgument($"Unknown SortOrder [{order}]"),
        };
        var missingFirst = missing == "_first";
        var missingValue = missing is null or "_first" or "_last" ? null : missing;

        switch (name)
        {
            case "_score":
                fields.Add(new SortField(null, SortFieldType.SCORE, !descending));
                kinds.Add(SortKind.Score);
                return;
            case "_doc":
                fields.Add(new SortField(null, SortFieldType.DOC, descending));
                kinds.Add(SortKind.Doc);
                return;
            case FieldCatalog.IdField:
                throw SearchException.IllegalArgument("Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled");
        }

        var field = catalog.Resolve(name, out var key);
        if (field is null)
        {
            if (unmappedType is null)
            {
                throw new SearchException("query_shard_exception", $"No mapping found for [{name}] in order to sort on");
            }

            // Every document is missing the field: a keyword sort on a field nobody has.
            fields.Add(KeywordSort(name, descending, missingFirst, mode));
            kinds.Add(SortKind.Keyword);
            return;
        }

        if (key is not null || (missingValue is not null && field.Kind is FieldKind.Keyword or FieldKind.Boolean or FieldKind.Flattened))
        {
            // A flattened key, or a keyword with a missing value: compared by value, not by ordinal.
            var source = key is null
                ? new Aggregations.FieldSource(name, Aggregations.SourceKind.Keyword, field.Name, null, field.EsType)
                : new Aggregations.FieldSource(name, Aggregations.SourceKind.Keyword, field.KeyedName, key + "\0", field.EsType);
            var max = mode switch
            {
                null => descending,
                "min" => false,
                "max" => true,
                _ => throw SearchException.IllegalArgument($"Sort mode [{mode}] is not supported on a keyword field"),
            };
            var missingBytes = missingValue is null ? null : new BytesRef(missingValue);
            fields.Add(new SortField(name, new KeywordSortSource(source, max, missingBytes, missingFirst ^ descending), descending));
            kinds.Add(SortKind.Keyword);
            return;
        }

        switch (field.Kind)
        {
            case FieldKind.Text:
                throw SearchException.IllegalArgument(FielddataDisabled(field.Name));
            case FieldKind.Keyword or FieldKind.Boolean or FieldKind.Flattened:
                fields.Add(KeywordSort(field.Name, descending, missingFirst, mode));
                kinds.Add(SortKind.Keyword);
                return;
            case FieldKind.Double:
                var doubleSort = new SortField(field.Name, SortFieldType.DOUBLE, descending);
                doubleSort.SetMissingValue(missingValue is not null
                    ? double.TryParse(missingValue, System.Globalization.NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw BadMissing(missingValue, name)
                    : (missingFirst ^ descending) ? double.NegativeInfinity : double.PositiveInfinity);
                fields.Add(doubleSort);
                kinds.Add(SortKind.Double);
                return;
            default:
                var longSort = new SortField(field.Name, SortFieldType.INT64, descending);
                longSort.SetMissingValue(missingValue is not null
                    ? MissingLong(missingValue, field, name)
                    : (missingFirst ^ descending) ? long.MinValue : long.MaxValue);
                fields.Add(longSort);
                kinds.Add(field.Kind == FieldKind.Date ? SortKind.Date : SortKind.Long);
                return;
        }
    }

    private static long MissingLong(string value, MappedField field, string name)
    {
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return (long)number;
        }

        if (field.Kind == FieldKind.Date)
        {
            return DateMath.Parse(value, null, false, TimeZoneInfo.Utc, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        throw BadMissing(value, name);
    }

    private static SearchException BadMissing(string value, string name) =>
        new SearchException("query_shard_exception", $"For input string: \"{value}\" (sort [{name}] missing)");

    private static SortedSetSortField KeywordSort(string name, bool descending, bool missingFirst, string? mode)
    {
        var selector = mode switch
        {
            null => descending ? Selector.MAX : Selector.MIN,
            "min" => Selector.MIN,
            "max" => Selector.MAX,
            _ => throw SearchException.IllegalArgument($"Sort mode [{mode}] is not supported on a keyword field"),
        };
        var sort = new SortedSetSortField(name, descending, selector);
        sort.SetMissingValue((missingFirst ^ descending) ? SortField.STRING_FIRST : SortField.STRING_LAST);
        return sort;
    }

    public static string FielddataDisabled(string field) =>
        $"Fielddata is disabled on [{field}] in [{JobSearchService.IndexName}]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [{field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.";

    /// <summary>The <c>search_after</c> values as the Lucene comparators expect them.</summary>
    public FieldDoc After(JsonNode? node) => SearchAfter.ToFieldDoc(this, node);

    /// <summary>A hit's sort values as Elasticsearch prints them (dates as epoch milliseconds, keywords as strings).</summary>
    public JsonArray Values(FieldDoc doc)
    {
        var values = new JsonArray();
        for (var i = 0; i < Kinds.Count; i++)
        {
            var value = doc.Fields[i];
            values.Add(Kinds[i] switch
            {
                SortKind.Keyword => value is BytesRef b ? JsonValue.Create(b.Utf8ToString()) : null,
                SortKind.Score => JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
                SortKind.Doc => JsonValue.Create(Convert.ToInt32(value, CultureInfo.InvariantCulture)),
                SortKind.Double => Convert.ToDouble(value, CultureInfo.InvariantCulture) is var d && double.IsFinite(d) ? JsonValue.Create(d) : null,
                _ => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            });
        }

        return values;
    }
}
