using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Jobs.Embedded.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search;

/// <summary>
/// Top hits of a search sorted first by a date or whole-number field, without visiting every
/// match: the query is restricted to a window of that field's values next to where the page
/// starts (the field's highest value, or the <c>search_after</c> value, for a descending sort),
/// and the window grows until it holds the page. Every match inside the window sorts before every
/// match outside it, so the page is exactly the one a search over all matches gives; a window
/// that would cover every value is that search. Lucene 4.8 has no points to skip documents that
/// cannot compete (as Elasticsearch's sort optimisation does), so without this each page of a deep
/// <c>search_after</c> walk compares every match.
/// </summary>
internal static class SortWindow
{
    /// <summary>Documents' worth of values the first window spans, per hit the page needs (filters keep a fraction).</summary>
    private const long DocumentsPerHit = 32;

    /// <summary>The smallest first window, in documents' worth of values.</summary>
    private const long MinimumDocuments = 512;

    /// <summary>How much a window that held too few hits grows.</summary>
    private const long Growth = 8;

    /// <summary>Field bounds per reader, dropped with the reader.</summary>
    private static readonly ConditionalWeakTable<IndexReader, ConcurrentDictionary<string, (long Lowest, long Highest)?>> KnownBounds = new();

    /// <summary>
    /// Whether this search can be windowed: sorted first by a date or whole-number field with
    /// missing values last (the default), no scores wanted, and not continuing after a document
    /// that has no value.
    /// </summary>
    public static bool Applies(SortPlan sort, FieldDoc? after, bool showScores)
    {
        if (showScores || sort.Kinds.Count == 0 || sort.Kinds[0] is not (SortKind.Date or SortKind.Long))
        {
            return false;
        }

        var first = sort.Sort.GetSort()[0];
        var missingLast = first.IsReverse ? long.MinValue : long.MaxValue;
        if (first.Type != SortFieldType.INT64 || !TryLong(first.MissingValue, out var missing) || missing != missingLast)
        {
            return false;
        }

        return after is null || (TryLong(after.Fields[0], out var anchor) && anchor != long.MinValue && anchor != long.MaxValue);
    }

    /// <summary>The top <paramref name="count"/> hits (after <paramref name="after"/>), as a search over every match would give them.</summary>
    public static TopDocs Search(IndexSearcher searcher, Query query, Sort sort, int count, FieldDoc? after, SearchBudget budget)
    {
        var first = sort.GetSort()[0];
        var descending = first.IsReverse;
        if (searcher.IndexReader.MaxDoc == 0 || Bounds(searcher.IndexReader, first.Field) is not { } bounds)
        {
            return Everything(searcher, query, sort, count, after, budget);
        }

        var (lowest, highest) = bounds;
        var anchor = after is not null && TryLong(after.Fields[0], out var value) ? value : descending ? highest : lowest;
        var perDocument = Math.Max(1.0, ((double)highest - lowest) / searcher.IndexReader.MaxDoc);
        var width = Math.Max(MinimumDocuments, count * DocumentsPerHit) * perDocument;
        while (true)
        {
            // The window [from, to] next to the anchor; a window past the far end is everything.
            var from = descending ? anchor - width : (double)anchor;
            var to = descending ? (double)anchor : anchor + width;
            if ((descending && from <= lowest) || (!descending && to >= highest) || width >= long.MaxValue / 4.0)
            {
                return Everything(searcher, query, sort, count, after, budget);
            }

            var bound = (long)(descending ? from : to);
            var range = descending
                ? NumericTrie.Int64Filter(first.Field, bound, anchor, true, true)
                : NumericTrie.Int64Filter(first.Field, anchor, bound, true, true);
            var top = TopFieldCollector.Create(sort, count, after, true, false, false, false);
            searcher.Search(new FilteredQuery(query, range), budget.Limit(top));
            var page = top.GetTopDocs();

            // Enough hits, and the last one's value inside the window (a document with several
            // values may match the window by another value than the one it sorts by).
            if (page.ScoreDocs.Length >= count
                && TryLong(((FieldDoc)page.ScoreDocs[^1]).Fields[0], out var last)
                && (descending ? last >= bound : last <= bound))
            {
                return page;
            }

            width *= Growth;
        }
    }

    /// <summary>Counts the matches, stopping once there are more than <paramref name="upTo"/>.</summary>
    public static long Count(IndexSearcher searcher, Query query, int upTo, SearchBudget budget)
    {
        var weight = searcher.CreateNormalizedWeight(query);
        long total = 0;
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            var scorer = weight.GetScorer(leaf, leaf.AtomicReader.LiveDocs);
            if (scorer is null)
            {
                continue;
            }

            while (scorer.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
            {
                if (++total > upTo)
                {
                    return total;
                }

                if ((total & 1023) == 0)
                {
                    budget.ThrowIfExpired();
                }
            }
        }

        return total;
    }

    /// <summary>
    /// The lowest and highest indexed value of a field in this reader, found once per reader (a
    /// searcher's reader lives until the next refresh, and every page of a walk uses it).
    /// </summary>
    private static (long Lowest, long Highest)? Bounds(IndexReader reader, string field) =>
        KnownBounds.GetOrCreateValue(reader).GetOrAdd(field, static (name, r) =>
            MultiFields.GetTerms(r, name) is { } terms && TryBounds(terms, out var lowest, out var highest) ? (lowest, highest) : null, reader);

    /// <summary>
    /// The lowest and highest indexed value of a trie-encoded whole-number field (deleted documents'
    /// values included, which only makes a window wider). Full-precision terms sort first and in
    /// value order: the first term is the lowest; the highest is found by seeking (at most 64 seeks).
    /// </summary>
    private static bool TryBounds(Terms terms, out long lowest, out long highest)
    {
        lowest = highest = 0;
        var e = terms.GetEnumerator();
        if (!e.MoveNext() || NumericUtils.GetPrefixCodedInt64Shift(e.Term) != 0)
        {
            return false;
        }

        lowest = NumericUtils.PrefixCodedToInt64(e.Term);
        long low = lowest, high = long.MaxValue;
        var probe = new BytesRef(NumericUtils.BUF_SIZE_INT64);
        while (low < high)
        {
            var middle = (long)(low + ((Int128)high - low + 1) / 2);
            NumericUtils.Int64ToPrefixCoded(middle, 0, probe);
            if (e.SeekCeil(probe) != TermsEnum.SeekStatus.END && NumericUtils.GetPrefixCodedInt64Shift(e.Term) == 0)
            {
                low = NumericUtils.PrefixCodedToInt64(e.Term); // a value at least `middle`
            }
            else
            {
                high = middle - 1;
            }
        }

        highest = low;
        return true;
    }

    /// <summary>A sort value or missing value of a whole-number sort (Lucene.Net boxes them as J2N numbers).</summary>
    private static bool TryLong(object? value, out long result)
    {
        switch (value)
        {
            case long whole:
                result = whole;
                return true;
            case J2N.Numerics.Int64 boxed:
                result = boxed.ToInt64();
                return true;
            default:
                result = 0;
                return false;
        }
    }

    private static TopDocs Everything(IndexSearcher searcher, Query query, Sort sort, int count, FieldDoc? after, SearchBudget budget)
    {
        var top = TopFieldCollector.Create(sort, count, after, true, false, false, false);
        searcher.Search(query, budget.Limit(top));
        return top.GetTopDocs();
    }
}
