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
/// </summary>
internal static class PostingsTermCounts
{
    /// <summary>The count of each term with a live document (a flattened key's prefix removed), or null.</summary>
    public static Dictionary<string, long>? CountLive(IndexReader reader, FieldSource source)
    {
        if (source.DocValuesField is not { } field)
        {
            return null;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var prefix = source.KeyPrefix is { } key ? new BytesRef(key) : null;
        foreach (var leaf in reader.Leaves)
        {
            if (!CountSegment(leaf.AtomicReader, field, prefix, counts))
            {
                return null;
            }
        }

        return counts;
    }

    private static bool CountSegment(AtomicReader segment, string field, BytesRef? prefix, Dictionary<string, long> into)
    {
        var terms = segment.GetTerms(field);
        var values = segment.GetSortedSetDocValues(field);
        if (terms is null || values is null)
        {
            // No document of this segment has the field, or it has only one of the two forms.
            return terms is null == (values is null);
        }

        var (low, high) = Range(values, prefix);
        var perOrdinal = new long[high - low];
        var termsEnum = terms.GetEnumerator();
        var next = low;
        if (prefix is not null && termsEnum.SeekCeil(prefix) == TermsEnum.SeekStatus.END)
        {
            return next == high;
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
                return false;
            }

            perOrdinal[next - low] = termsEnum.DocFreq;
            next++;
        }

        if (next != high)
        {
            return false;
        }

        if (segment.HasDeletions)
        {
            SubtractDeleted(segment, values, low, high, perOrdinal);
        }

        var scratch = new BytesRef();
        var skip = prefix?.Length ?? 0;
        for (var i = 0; i < perOrdinal.Length; i++)
        {
            if (perOrdinal[i] <= 0)
            {
                continue; // only deleted documents have it
            }

            values.LookupOrd(low + i, scratch);
            var text = System.Text.Encoding.UTF8.GetString(scratch.Bytes, scratch.Offset + skip, scratch.Length - skip);
            into[text] = into.GetValueOrDefault(text) + perOrdinal[i];
        }

        return true;
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
