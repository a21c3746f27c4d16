using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search.Aggregations;

/// <summary>
/// A keyword field's count per term over every live document, from the index's postings instead
/// of a pass over every document's doc values (Elasticsearch runs such a terms aggregation
/// "filter by filter"). In a segment a term's count is its document frequency, which still counts
/// deleted documents, minus the deleted documents that have the term, read from the doc values of
/// the deleted documents only: the work is the terms plus the deletions, not the documents.
/// <para>
/// Exact because the store indexes every keyword value twice, as a term and as a sorted-set doc
/// value of the same field (JobDocumentBuilder): a segment's terms and its doc values' ordinals
/// are then the same sorted set. Where they are not (a field indexed otherwise), it answers null
/// and the collector counts as before.
/// </para>
/// <para>
/// A segment's counts are kept with the segment reader (its core and its deletions: Lucene opens
/// a new reader when a segment's deletions change), so a segment with deletions reads its
/// deleted documents once per reopen, not once per search. Only fields with at most
/// <see cref="MaxCachedTerms"/> values in the segment are kept (status, type, process ids, not
/// ids), and an entry goes with its reader: the cache is bounded by the segments open, not by
/// the corpus.
/// </para>
/// </summary>
internal static class PostingsTermCounts
{
    /// <summary>A segment's counts of a field with more values than this are computed per search, not kept.</summary>
    internal const int MaxCachedTerms = 1_024;

    /// <summary>Per segment reader (core and deletions), per field and flattened key: its counts, or null where the postings cannot answer.</summary>
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<(string Field, string? Prefix), KeyValuePair<string, long>[]?>> Segments = new();

    /// <summary>Whether the segment reader's counts of the field are kept (tests).</summary>
    internal static bool IsKept(AtomicReader segment, string field, string? prefix) =>
        Segments.TryGetValue(segment.CombinedCoreAndDeletesKey, out var kept) && kept.ContainsKey((field, prefix));

    /// <summary>The count of each term with a live document (a flattened key's prefix removed), or null.</summary>
    public static Dictionary<string, long>? CountLive(IndexReader reader, FieldSource source)
    {
        if (source.DocValuesField is not { } field)
        {
            return null;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var leaf in reader.Leaves)
        {
            if (Segment(leaf.AtomicReader, field, source.KeyPrefix) is not { } segment)
            {
                return null;
            }

            foreach (var (term, count) in segment)
            {
                counts[term] = counts.GetValueOrDefault(term) + count;
            }
        }

        return counts;
    }

    private static KeyValuePair<string, long>[]? Segment(AtomicReader segment, string field, string? prefix)
    {
        var kept = Segments.GetValue(segment.CombinedCoreAndDeletesKey, _ => new());
        if (kept.TryGetValue((field, prefix), out var counts))
        {
            return counts;
        }

        counts = CountSegment(segment, field, prefix is null ? null : new BytesRef(prefix), out var values);
        if (values <= MaxCachedTerms)
        {
            kept.TryAdd((field, prefix), counts);
        }

        return counts;
    }

    /// <summary>The segment's count per term with a live document, or null; <paramref name="values"/>: how many values the field has there.</summary>
    private static KeyValuePair<string, long>[]? CountSegment(AtomicReader segment, string field, BytesRef? prefix, out long values)
    {
        values = 0;
        var terms = segment.GetTerms(field);
        var docValues = segment.GetSortedSetDocValues(field);
        if (terms is null || docValues is null)
        {
            // No document of this segment has the field, or it has only one of the two forms.
            return terms is null == (docValues is null) ? [] : null;
        }

        var (low, high) = Range(docValues, prefix);
        values = high - low;
        return CountRange(segment, terms, docValues, prefix, low, high);
    }

    private static KeyValuePair<string, long>[]? CountRange(AtomicReader segment, Terms terms, SortedSetDocValues values, BytesRef? prefix, long low, long high)
    {
        var perOrdinal = new long[high - low];
        var termsEnum = terms.GetEnumerator();
        var next = low;
        if (prefix is not null && termsEnum.SeekCeil(prefix) == TermsEnum.SeekStatus.END)
        {
            return next == high ? [] : null;
        }

        // Walk the terms in order alongside the ordinals: the same sorted set, else no answer.
        var positioned = prefix is not null;
        while (positioned || termsEnum.MoveNext())
        {
            positioned = false;
            var term = termsEnum.Term;
            if (prefix is not null && !StringHelper.StartsWith(term, prefix))
            {
                break;
            }

            if (next >= high || values.LookupTerm(term) != next)
            {
                return null;
            }

            perOrdinal[next - low] = termsEnum.DocFreq;
            next++;
        }

        if (next != high)
        {
            return null;
        }

        if (segment.HasDeletions)
        {
            SubtractDeleted(segment, values, low, high, perOrdinal);
        }

        var scratch = new BytesRef();
        var skip = prefix?.Length ?? 0;
        var counts = new List<KeyValuePair<string, long>>();
        for (var i = 0; i < perOrdinal.Length; i++)
        {
            if (perOrdinal[i] <= 0)
            {
                continue; // only deleted documents have it
            }

            values.LookupOrd(low + i, scratch);
            counts.Add(new(System.Text.Encoding.UTF8.GetString(scratch.Bytes, scratch.Offset + skip, scratch.Length - skip), perOrdinal[i]));
        }

        return [.. counts];
    }

    /// <summary>The deleted documents' values: every other document was counted by the document frequency.</summary>
    private static void SubtractDeleted(AtomicReader segment, SortedSetDocValues values, long low, long high, long[] perOrdinal)
    {
        var live = segment.LiveDocs;
        for (var doc = 0; doc < segment.MaxDoc; doc++)
        {
            if (live.Get(doc))
            {
                continue;
            }

            values.SetDocument(doc);
            long ord;
            while ((ord = values.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
            {
                if (ord >= low && ord < high)
                {
                    perOrdinal[ord - low]--;
                }
            }
        }
    }

    /// <summary>The ordinals of the field's values, or of a flattened key's <c>key\0…</c> values.</summary>
    private static (long Low, long High) Range(SortedSetDocValues values, BytesRef? prefix)
    {
        if (prefix is null)
        {
            return (0, values.ValueCount);
        }

        var end = BytesRef.DeepCopyOf(prefix);
        end.Bytes[end.Offset + end.Length - 1] = 1; // "key\u0001": just past every "key\0…"
        return (InsertionPoint(values.LookupTerm(prefix)), InsertionPoint(values.LookupTerm(end)));
    }

    private static long InsertionPoint(long lookup) => lookup >= 0 ? lookup : -lookup - 1;

    /// <summary>Whether a built query matches every live document (nothing to intersect the postings with).</summary>
    public static bool MatchesEverything(Query query) => query is MatchAllDocsQuery;
}
