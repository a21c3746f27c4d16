using Lucene.Net.Documents;
using Lucene.Net.Search;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// How numbers and dates are indexed as trie terms, and the range queries that read them. Every
/// 8 bits instead of Lucene's default 4: 8 terms per 64-bit value instead of 16, so each job's
/// dates and numbers cost half the terms to invert on every update, and half the mostly unique
/// low-precision terms to flush and merge (issue 17, docs/BENCHMARKS.md). A query reads only the
/// precisions that are multiples of its step, so these 8-bit queries read indices written with
/// the 4-bit step before as well (those hold every multiple of 4).
/// </summary>
internal static class NumericTrie
{
    public const int PrecisionStep = 8;

    public static FieldType Int64 { get; } = Frozen(Int64Field.TYPE_NOT_STORED);

    public static FieldType StoredInt64 { get; } = Frozen(Int64Field.TYPE_STORED);

    public static FieldType Double { get; } = Frozen(DoubleField.TYPE_NOT_STORED);

    public static NumericRangeQuery<long> Int64Range(string field, long? min, long? max, bool minInclusive, bool maxInclusive) =>
        NumericRangeQuery.NewInt64Range(field, PrecisionStep, min, max, minInclusive, maxInclusive);

    public static NumericRangeQuery<double> DoubleRange(string field, double? min, double? max, bool minInclusive, bool maxInclusive) =>
        NumericRangeQuery.NewDoubleRange(field, PrecisionStep, min, max, minInclusive, maxInclusive);

    public static NumericRangeFilter<long> Int64Filter(string field, long? min, long? max, bool minInclusive, bool maxInclusive) =>
        NumericRangeFilter.NewInt64Range(field, PrecisionStep, min, max, minInclusive, maxInclusive);

    private static FieldType Frozen(FieldType template)
    {
        var type = new FieldType(template) { NumericPrecisionStep = PrecisionStep };
        type.Freeze();
        return type;
    }
}
